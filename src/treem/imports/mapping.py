"""Headers communes write → Treem's canonical fields (domain.md), with the variants seen in real workbooks."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from treem.core.errors import CleanError, Message
from treem.core.text import fold

from .groups import FIELD_OF_LETTER, LETTER_FIELDS, GroupVocabulary, fixture_vocabulary

# field -> header variants (compared after folding diacritics, case and punctuation)
FIELD_HEADERS: dict[str, tuple[str, ...]] = {
    "full_name": ("ho va ten", "ho ten", "ho va ten tre", "ho ten tre", "ho va ten tre em", "ho ten tre em", "ten tre",
                  "full name", "full_name", "ten"),
    "date_of_birth": ("ngay sinh", "ngay thang nam sinh", "ngay thang sinh", "sinh ngay", "nam sinh", "ns",
                      "date of birth", "date_of_birth", "dob"),
    "sex": ("gioi tinh", "gioi", "nam nu", "gt", "sex", "gender"),
    "ethnicity": ("dan toc", "dt", "ethnicity", "ethnic"),
    "personal_id": ("so dinh danh", "so dinh danh ca nhan", "ma dinh danh", "ma so dinh danh", "so ddcn", "ddcn",
                    "cccd", "so cccd", "can cuoc", "so can cuoc", "can cuoc cong dan", "personal_id", "personal id"),
    "guardian_name": ("nguoi cham soc", "ho ten nguoi cham soc", "nguoi giam ho", "ho ten nguoi giam ho",
                      "nguoi nuoi duong", "ho ten cha me", "ho ten bo me", "cha me", "bo me",
                      "ho ten cha me nguoi cham soc",
                      "guardian_name", "guardian"),
    "father_name": ("ho ten cha", "ho va ten cha", "ho ten bo", "ten cha", "ten bo", "cha", "bo", "father"),
    "mother_name": ("ho ten me", "ho va ten me", "ten me", "me", "mother"),
    "village": ("thon", "ban", "thon ban", "thon xom", "xom", "ap", "to dan pho", "thon to", "thon ban to dan pho",
                "thon to dan pho", "village"),
    "commune": ("xa", "xa phuong", "phuong", "xa phuong thi tran", "don vi", "commune", "commune_name"),
    "commune_code": ("ma xa", "ma don vi", "ma xa phuong", "commune_code"),
    "household_code": ("ma ho", "so ho", "ma ho gia dinh", "ma so ho", "household_code", "household"),
    "head_name": ("chu ho", "ho ten chu ho", "ten chu ho", "head_name"),
    "address": ("dia chi", "noi o", "noi o hien nay", "cho o", "dia chi thuong tru", "address"),
    "special_groups": ("hoan canh dac biet", "nhom hoan canh dac biet", "htdb", "hcdb", "tre em co hoan canh dac biet",
                       "thuoc nhom", "nhom doi tuong", "loai hoan canh", "special_groups"),
    # the period of the groups: longer than "hoan canh dac biet" so that they win where a header holds both
    "group_from": ("tu ngay", "ngay bat dau", "bat dau", "bat dau tu ngay", "thoi diem bat dau", "tu thoi diem",
                   "thoi diem roi vao hoan canh dac biet", "roi vao hoan canh dac biet", "roi vao hcdb",
                   "ngay roi vao hoan canh dac biet", "thoi diem roi vao", "ngay roi vao", "thoi gian roi vao",
                   "ngay xac dinh", "thoi diem phat sinh", "group_from"),
    "group_to": ("den ngay", "ngay ket thuc", "ket thuc", "thoi diem ket thuc", "ngay thoat khoi",
                 "thoat khoi hoan canh dac biet", "ngay thoat khoi hoan canh dac biet", "thoi diem thoat khoi",
                 "thoat khoi hcdb", "ngay ra khoi", "group_to"),
    "phone": ("so dien thoai", "dien thoai", "sdt", "phone"),
    "note": ("ghi chu", "note"),
    # an injury list (see `incidents`): the date, kind, place and outcome of the injury
    "injury_date": ("ngay bi tai nan", "ngay tai nan", "ngay xay ra", "ngay bi thuong tich", "thoi gian xay ra",
                    "ngay xay ra tai nan", "thoi gian bi tai nan", "ngay bi tai nan thuong tich", "injury_date"),
    "injury_kind": ("loai tai nan", "loai thuong tich", "loai tai nan thuong tich", "hinh thuc tai nan", "tai nan",
                    "tai nan thuong tich", "loai hinh tai nan", "nguyen nhan tai nan", "injury_kind"),
    "injury_place": ("noi xay ra", "dia diem xay ra", "noi bi tai nan", "dia diem bi tai nan", "noi xay ra tai nan",
                     "injury_place"),
    "injury_outcome": ("hau qua", "ket qua", "ket qua dieu tri", "muc do", "tinh trang sau tai nan", "xu ly",
                       "injury_outcome"),
}  # fmt: skip
IGNORED_HEADERS = ("stt", "tt", "so thu tu", "so tt")
# One column per group, marked x: its header is the group's letter or words ("d", "Nhóm đ", "Khuyết tật"), read by
# the groups' vocabulary (see `groups`), not by the variants above.
FIELDS: tuple[str, ...] = (*FIELD_HEADERS, *LETTER_FIELDS)
REQUIRED_FIELDS = ("full_name", "date_of_birth", "sex")

# Labels shown on pages, in the language of the page (their Vietnamese translations are FIELD_LABELS_VI).
FIELD_LABELS = {
    "full_name": _("Full name"), "date_of_birth": _("Date of birth"), "sex": _("Sex"), "ethnicity": _("Ethnicity"),
    "personal_id": _("Personal ID number"), "guardian_name": _("Caregiver/guardian"), "father_name": _("Father's name"),
    "mother_name": _("Mother's name"), "village": _("Village/hamlet/residential group"), "commune": _("Commune/ward"),
    "commune_code": _("Commune code"), "household_code": _("Household code"), "head_name": _("Head of household"),
    "address": _("Address"), "special_groups": _("Special circumstances"), "phone": _("Phone number"),
    "note": _("Note"), "group_from": _("Special circumstances: from"), "group_to": _("Special circumstances: to"),
    "injury_date": _("Injury: date"), "injury_kind": _("Injury: kind"), "injury_place": _("Injury: where"),
    "injury_outcome": _("Injury: outcome"),
    **{field: format_lazy(_("Group {letter} (marked x)"), letter=code) for field, code in LETTER_FIELDS.items()},
}  # fmt: skip

# Headers of the template workbook (a file contract: re-importing it maps every column), always Vietnamese.
FIELD_LABELS_VI: dict[str, str] = {
    "full_name": "Họ và tên", "date_of_birth": "Ngày sinh", "sex": "Giới tính", "ethnicity": "Dân tộc",
    "personal_id": "Số định danh cá nhân", "guardian_name": "Người chăm sóc/giám hộ", "father_name": "Họ tên cha",
    "mother_name": "Họ tên mẹ", "village": "Thôn/Bản/Tổ dân phố", "commune": "Xã/Phường", "commune_code": "Mã xã",
    "household_code": "Mã hộ", "head_name": "Chủ hộ", "address": "Địa chỉ", "special_groups": "Hoàn cảnh đặc biệt",
    "phone": "Số điện thoại", "note": "Ghi chú", "group_from": "Từ ngày", "group_to": "Đến ngày",
    "injury_date": "Ngày bị tai nạn", "injury_kind": "Loại tai nạn", "injury_place": "Nơi xảy ra",
    "injury_outcome": "Hậu quả",
    **{field: f"Nhóm {code} (đánh dấu x)" for field, code in LETTER_FIELDS.items()},
}  # fmt: skip

_PUNCT = re.compile(r"[^a-z0-9 ]+")
_PARENS = re.compile(r"\(.*?\)")


def header_key(label: str) -> str:
    """A header reduced to folded words: "Ngày, tháng, năm sinh (dd/mm/yyyy)" -> "ngay thang nam sinh"."""
    text = fold(_PARENS.sub(" ", label or ""))
    return " ".join(_PUNCT.sub(" ", text).split())


_EXACT: dict[str, str] = {header_key(v): field for field, variants in FIELD_HEADERS.items() for v in variants}
_BY_LENGTH = sorted(_EXACT.items(), key=lambda kv: -len(kv[0]))


def guess_field(label: str, groups: GroupVocabulary | None = None) -> str | None:
    """The field a header most likely means, or None. A header that names one special-circumstance group and
    nothing else ("d", "Nhóm đ", "Khuyết tật", "a. Mồ côi cả cha và mẹ") is that group's column (marked x)."""
    key = header_key(label)
    if not key or key in IGNORED_HEADERS:
        return None
    if key in _EXACT:
        return _EXACT[key]
    group = group_field(label, groups)
    if group:
        return group
    padded = f" {key} "
    for variant, field in _BY_LENGTH:
        if len(variant) > 3 and f" {variant} " in padded:
            return field
    return None


def group_field(label: str, groups: GroupVocabulary | None = None) -> str | None:
    """The x column of the one group a header names, or None."""
    try:
        codes = (groups or fixture_vocabulary()).parse(_PARENS.sub(" ", label or ""))
    except CleanError:
        return None
    return FIELD_OF_LETTER.get(codes[0]) if len(codes) == 1 else None


def guess_mapping(
    labels: Iterable[str], remembered: dict[str, str] | None = None, groups: GroupVocabulary | None = None
) -> dict[int, str]:
    """Column index -> field; each field taken once (leftmost column wins); remembered choices come first."""
    remembered = remembered or {}
    mapping: dict[int, str] = {}
    used: set[str] = set()
    for index, label in enumerate(labels):
        field = remembered.get(header_key(label)) or guess_field(label, groups)
        if field and field in FIELDS and field not in used:
            mapping[index] = field
            used.add(field)
    return mapping


def header_score(labels: list[str]) -> int:
    """How header-like a row is: recognised fields, with the name field worth most."""
    fields = set(guess_mapping(labels).values())
    if len(fields) < 2:
        return 0
    return len(fields) + (3 if "full_name" in fields else 0) + (2 if "date_of_birth" in fields else 0)


def column_label(column: str) -> str:
    """A field's label in the active language; a stored label (issues kept before fields were stored) as it is."""
    return str(FIELD_LABELS.get(column, column))


def message_text(messages: list[tuple[str, Message]] | list[list[Any]]) -> str:
    """Stored or fresh (column, message) pairs as one line in the active language."""
    shown = (message if isinstance(message, Message) else Message.from_json(message) for _column, message in messages)
    return "; ".join(
        f"{column_label(column)}: {text}" for (column, _message), text in zip(messages, shown, strict=True)
    )


def issue_messages(stored: list[list[Any]]) -> list[tuple[str, str]]:
    """ImportIssue.messages as (column label, message) in the active language."""
    return [(column_label(column), str(Message.from_json(message))) for column, message in stored]
