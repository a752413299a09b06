"""Clean one row of an import: repair text, standardise values, validate, and say what is wrong in Vietnamese.

Each cleaner returns a value or raises CleanError; `clean_row` turns those into row statuses (ok / warning / error)
with messages that name the column. Cleaners never guess silently: every repair that changes meaning is a warning.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import ftfy
import viparse

from treem.core.dates import age_on, parse_partial_date
from treem.core.errors import CleanError
from treem.core.ethnicity import clean_ethnicity
from treem.core.ids import check_personal_id, normalize_personal_id
from treem.core.text import canonical_tones, clean_name, fold, nfc

from .mapping import FIELD_LABELS_VI

CHILD_AGE_LIMIT = 16
REGISTRY_AGE_LIMIT = 18
MAX_TEXT = 300
LEGACY_ENCODINGS = ("tcvn3", "vni")
SPECIAL_LETTERS = ("a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o")
_SEX_WORDS = {
    "M": {"nam", "trai", "m", "male", "be trai", "tre trai", "con trai", "1"},
    "F": {"nu", "gai", "f", "female", "be gai", "tre gai", "con gai", "0", "2"},
}
_SEX_BY_WORD = {w: s for s, words in _SEX_WORDS.items() for w in words}
_MOJIBAKE_HINT = re.compile("[ÃÄÆáºá»Ã¡Ã¢Ã£]")


def detect_column_encoding(samples: list[str]) -> str | None:
    """'tcvn3' or 'vni' when a column's text was typed in a legacy font (judged on the column, not a cell)."""
    text = " ".join(s for s in samples if s and not s.isascii())[:20_000]
    if not text:
        return None
    detected = viparse.detect_text_encoding(text)
    return detected if detected in LEGACY_ENCODINGS else None


def _vietnamese_letters() -> frozenset[str]:
    vowels = "aăâeêioôơuưy"
    tones = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
    letters = {unicodedata.normalize("NFC", v + t) for v in vowels for t in tones} | set("bcdđghklmnpqrstvxfjwz")
    return frozenset(letters | {c.upper() for c in letters})


VIETNAMESE_LETTERS = _vietnamese_letters()
_NEUTRAL = frozenset(" -'’.,;:/()0123456789")


def is_vietnamese_text(value: str) -> bool:
    """Only letters of the Vietnamese alphabet (precomposed), digits, spaces and common punctuation."""
    return all(c in VIETNAMESE_LETTERS or c in _NEUTRAL for c in unicodedata.normalize("NFC", value))


@functools.lru_cache(maxsize=200_000)
def repair_text(value: str, encoding: str | None = None) -> tuple[str, str | None]:
    """(Unicode NFC text, the repair made or None): legacy font text converted when its column was detected
    as legacy, or when a single cell is impossible as Unicode Vietnamese but converts into it; UTF-8 mojibake."""
    if value.isascii():
        return nfc(value), None
    if encoding in LEGACY_ENCODINGS:
        return nfc(viparse.fix(value, encoding=encoding)), encoding
    if _MOJIBAKE_HINT.search(value):
        fixed = ftfy.fix_text(value)
        if fixed != value and is_vietnamese_text(fixed):
            return nfc(fixed), "utf8"
    if not is_vietnamese_text(value):
        for legacy in LEGACY_ENCODINGS:
            fixed = viparse.fix(value, encoding=legacy)
            if fixed != value and is_vietnamese_text(fixed):
                return nfc(fixed), legacy
    return nfc(value), None


def clean_sex(value: str) -> str:
    key = fold(value).strip(" .")
    if key in _SEX_BY_WORD:
        return _SEX_BY_WORD[key]
    raise CleanError("sex_unknown", f"Không hiểu giới tính {value!r} (ghi Nam hoặc Nữ)")


def clean_special_groups(value: str) -> list[str]:
    """'a; d' or 'a,d' or 'nhóm a, đ' -> ['a', 'd'] style law letters (đ kept distinct)."""
    letters: list[str] = []
    text = nfc(value).lower().replace("nhóm", " ").replace("điểm", " ")
    for token in re.split(r"[;,/+\s]+", text):
        token = token.strip(" .()")
        if not token:
            continue
        if token not in SPECIAL_LETTERS:
            raise CleanError("group_unknown", f"Nhóm hoàn cảnh đặc biệt {token!r} không có trong Điều 10 Luật Trẻ em")
        if token not in letters:
            letters.append(token)
    return letters


@dataclass
class RowContext:
    """What cleaning a row needs to know beyond the row: the commune, its villages, the date, column encodings."""

    commune_name: str
    commune_keys: set[str]  # folded names and codes that mean this commune (current and former)
    villages: dict[str, str]  # folded, tone-canonical village name -> village display name
    encodings: dict[str, str | None] = field(default_factory=dict)  # field -> legacy encoding of its column
    today: dt.date = field(default_factory=dt.date.today)
    new_villages: dict[str, str] = field(default_factory=dict)


def village_key(name: str) -> str:
    return fold(canonical_tones(name))


UNIT_TYPE_WORDS = ("thi tran ", "dac khu ", "phuong ", "xa ", "thon ", "ban ", "to dan pho ", "ap ", "xom ", "to ")


def unit_keys(name: str) -> set[str]:
    """Keys a unit name matches by: folded, tone-canonical, with and without its type word ("Xã", "Bản"…)."""
    key = village_key(name)
    keys = {key}
    for word in UNIT_TYPE_WORDS:
        if key.startswith(word) and len(key) > len(word):
            keys.add(key[len(word) :])
    return keys


@dataclass
class RowResult:
    source_row: int
    status: str = "ok"
    values: dict[str, Any] = field(default_factory=dict)
    messages: list[tuple[str, str]] = field(default_factory=list)

    def warn(self, column: str, message: str) -> None:
        self.messages.append((FIELD_LABELS_VI.get(column, column), message))
        if self.status == "ok":
            self.status = "warning"

    def fail(self, column: str, message: str) -> None:
        self.messages.append((FIELD_LABELS_VI.get(column, column), message))
        self.status = "error"

    def message_text(self) -> str:
        return "; ".join(f"{column}: {message}" for column, message in self.messages)


def _text(raw: dict[str, Any], name: str, ctx: RowContext, result: RowResult) -> str:
    value = raw.get(name)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    text = str(value)
    if len(text) > MAX_TEXT and name != "note":
        result.fail(name, f"Ô quá dài ({len(text)} ký tự)")
        return ""
    if text.startswith(("=", "+", "@")) and not text.startswith("+84"):
        result.fail(name, "Ô chứa công thức hoặc ký tự lạ ở đầu; hãy ghi giá trị")
        return ""
    fixed, repair = repair_text(text, ctx.encodings.get(name))
    if repair is not None and ctx.encodings.get(name) is None:
        label = {"tcvn3": "phông TCVN3 (.Vn…)", "vni": "phông VNI", "utf8": "lỗi mã UTF-8"}[repair]
        result.warn(name, f"Đã chuyển {label} sang Unicode: {fixed!r}")
    return fixed


def _clean_person(raw: dict[str, Any], name: str, ctx: RowContext, result: RowResult, *, required: bool) -> str:
    text = _text(raw, name, ctx, result)
    if not text:
        if required:
            result.fail(name, "Chưa ghi")
        return ""
    try:
        return clean_name(text)
    except CleanError as exc:
        (result.fail if required else result.warn)(name, exc.message)
        return ""


def clean_row(source_row: int, raw: dict[str, Any], ctx: RowContext) -> RowResult:
    """Clean and validate one data row given as {field: raw cell value}."""
    r = RowResult(source_row)
    v = r.values
    v["full_name"] = _clean_person(raw, "full_name", ctx, r, required=True)
    for person in ("guardian_name", "father_name", "mother_name", "head_name"):
        if raw.get(person) not in (None, ""):
            v[person] = _clean_person(raw, person, ctx, r, required=False)

    # date of birth: day first always; month/year-only dates are kept with their precision
    dob_raw = raw.get("date_of_birth")
    if dob_raw in (None, ""):
        r.fail("date_of_birth", "Chưa ghi")
    else:
        try:
            text = dob_raw if not isinstance(dob_raw, str) else _text(raw, "date_of_birth", ctx, r)
            dob, precision = parse_partial_date(text)
        except CleanError as exc:
            r.fail("date_of_birth", exc.message)
        else:
            v["date_of_birth"], v["dob_precision"] = dob, str(precision)
            if dob > ctx.today:
                r.fail("date_of_birth", "Ngày sinh ở trong tương lai")
            else:
                age = age_on(dob, ctx.today)
                if age >= REGISTRY_AGE_LIMIT:
                    r.fail("date_of_birth", f"Đã {age} tuổi: không còn là trẻ em")
                elif age >= CHILD_AGE_LIMIT:
                    r.warn("date_of_birth", f"{age} tuổi: lưu là người chưa thành niên (16–17), không tính là trẻ em")
            if precision != "day":
                r.warn("date_of_birth", "Chỉ có tháng/năm sinh")

    sex_text = _text(raw, "sex", ctx, r)
    if sex_text:
        try:
            v["sex"] = clean_sex(sex_text)
        except CleanError as exc:
            r.fail("sex", exc.message)

    eth = _text(raw, "ethnicity", ctx, r)
    if eth:
        try:
            v["ethnicity"] = clean_ethnicity(eth)
        except CleanError as exc:
            r.warn("ethnicity", exc.message + " (bỏ trống khi lưu)")

    pid_raw = raw.get("personal_id")
    if pid_raw not in (None, ""):
        try:
            text = pid_raw if not isinstance(pid_raw, str) else _text(raw, "personal_id", ctx, r)
            pid = normalize_personal_id(text)
        except CleanError as exc:
            r.warn("personal_id", exc.message + " (không lưu số này)")
        else:
            if pid:
                exact_dob = v.get("date_of_birth") if v.get("dob_precision") == "day" else None
                for problem in check_personal_id(pid, date_of_birth=exact_dob, sex=v.get("sex")):
                    r.warn("personal_id", problem.message)
                v["personal_id"] = pid
    if "sex" not in v:
        if v.get("personal_id"):
            digit = int(v["personal_id"][3])
            v["sex"] = "F" if digit % 2 else "M"
            r.warn("sex", "Chưa ghi; lấy theo số định danh")
        elif sex_text == "":
            r.fail("sex", "Chưa ghi")

    commune = _text(raw, "commune", ctx, r) or _text(raw, "commune_code", ctx, r)
    if commune and not unit_keys(commune) & ctx.commune_keys:
        r.fail("commune", f"{commune!r} không phải {ctx.commune_name} (kể cả tên trước sắp xếp)")

    village = _text(raw, "village", ctx, r)
    if village:
        keys = unit_keys(village)
        key = village_key(village)
        known = next((ctx.villages[k] for k in keys if k in ctx.villages), None)
        if known:
            v["village"] = known
        else:
            name = ctx.new_villages.setdefault(key, village)
            v["village"] = name
            v["new_village"] = True
            r.warn("village", f"Thôn/bản mới {name!r} sẽ được tạo khi lưu")

    groups = _text(raw, "special_groups", ctx, r)
    if groups:
        try:
            v["special_groups"] = clean_special_groups(groups)
        except CleanError as exc:
            r.warn("special_groups", exc.message)
    for name in ("household_code", "address", "phone", "note"):
        text = _text(raw, name, ctx, r)
        if text:
            v[name] = text
    return r
