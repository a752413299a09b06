"""Registry exports: the filtered child list as a workbook, and a village's household book as a workbook and a PDF.

Workbooks are written by xlsxwriter in `constant_memory` mode (one row in memory at a time) to a temporary file that
`FileResponse` then streams; children are read with `.iterator(chunk_size=…)` and their guardians and circumstances
prefetched per chunk, so memory and query count do not grow with the list (style §4.10). Every cell is written with
an explicit `write_string` / `write_number` / `write_datetime`, text through `core.spreadsheet.safe_text`.

Case-derived (confidential) groups are written only for a user who may see their case, and such an export is
audited (`selectors.audit_confidential_shown`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

import xlsxwriter
import xlsxwriter.format
import xlsxwriter.worksheet
from django.db.models import F, Prefetch, Q, QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from treem.accounts import permissions as rules
from treem.accounts.scope import get_for_user_or_404, scope_root, visible_unit
from treem.accounts.web import AuthedRequest, require_capability, xlsx_response
from treem.audit.models import Action
from treem.core.dates import today_vn
from treem.core.spreadsheet import write_merged_text, write_text
from treem.core.text import fold
from treem.units.models import Level, Unit

from . import confidential, selectors, views
from .models import (
    Child,
    ChildStatus,
    Circumstance,
    CircumstanceKind,
    DatePrecision,
    Guardianship,
    Household,
    HouseholdPoverty,
    PovertyStatus,
    Relation,
    SchoolStatus,
    Sex,
)

CHUNK_SIZE = 2000

# Column headers as commune officers write them in their own workbooks (data, not UI text).
CHILD_LIST_COLUMNS = [
    "STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Số định danh cá nhân", "Họ tên cha", "Họ tên mẹ",
    "Người chăm sóc/giám hộ", "Thôn/Bản/Tổ dân phố", "Xã/Phường", "Mã hộ", "Chủ hộ", "Hoàn cảnh đặc biệt",
    "Nguy cơ", "Tình trạng học tập", "Ghi chú",
]  # fmt: skip
BOOK_COLUMNS = [
    "STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Số định danh cá nhân", "Họ tên cha", "Họ tên mẹ",
    "Người chăm sóc/giám hộ", "Hoàn cảnh đặc biệt", "Tình trạng học tập",
]  # fmt: skip
CHILD_LIST_TITLE = "DANH SÁCH TRẺ EM"
BOOK_TITLE = "SỔ THEO DÕI TRẺ EM TRONG HỘ GIA ĐÌNH"
HEADER_ROW = 3  # 0-based: title, place, date, then the column headers

# Printed documents are in Vietnamese whatever the user's language: choice labels come from the vi translations.


def _vi(choices: Any, value: str) -> str:
    """The Vietnamese label of a stored choice value ("" for blank or unknown)."""
    if not value or value not in choices.values:
        return ""
    with translation.override("vi"):
        return str(choices(value).label)


RELATION_VI: dict[str, str] = {
    Relation.GRANDPARENT: "ông/bà",
    Relation.SIBLING: "anh/chị",
    Relation.RELATIVE: "họ hàng",
    Relation.GUARDIAN: "người giám hộ",
    Relation.CAREGIVER: "người chăm sóc thay thế",
    Relation.OTHER: "khác",
}
COLUMN_WIDTHS = {
    "STT": 5, "Họ và tên": 24, "Ngày sinh": 11, "Giới tính": 8, "Dân tộc": 10, "Số định danh cá nhân": 15,
    "Họ tên cha": 20, "Họ tên mẹ": 20, "Người chăm sóc/giám hộ": 24, "Thôn/Bản/Tổ dân phố": 16, "Xã/Phường": 16,
    "Mã hộ": 10, "Chủ hộ": 20, "Hoàn cảnh đặc biệt": 30, "Nguy cơ": 24, "Tình trạng học tập": 18, "Ghi chú": 30,
}  # fmt: skip


# --- rows ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChildRow:
    """One child as the exports print it: every value already a Vietnamese string (except the exact birth date)."""

    full_name: str
    birth_date: dt.date | None  # set only when the full date is known: written as a real date cell
    dob_text: str  # dd/mm/yyyy, mm/yyyy or yyyy
    sex: str
    ethnicity: str
    personal_id: str
    father: str
    mother: str
    caregivers: str
    village: str
    commune: str
    household_code: str
    household_head: str
    special_groups: str  # the law letters ("a; d"): the printed book's narrow column
    special_group_names: str  # "a. Trẻ em mồ côi cả cha và mẹ; d. Trẻ em khuyết tật": the workbooks' column
    risks: str
    schooling: str
    note: str


# Header -> ChildRow attribute; "STT" and the date are written specially.
_FIELD_OF = {
    "Họ và tên": "full_name", "Ngày sinh": "dob_text", "Giới tính": "sex", "Dân tộc": "ethnicity",
    "Số định danh cá nhân": "personal_id", "Họ tên cha": "father", "Họ tên mẹ": "mother",
    "Người chăm sóc/giám hộ": "caregivers", "Thôn/Bản/Tổ dân phố": "village", "Xã/Phường": "commune",
    "Mã hộ": "household_code", "Chủ hộ": "household_head", "Hoàn cảnh đặc biệt": "special_group_names",
    "Nguy cơ": "risks", "Tình trạng học tập": "schooling", "Ghi chú": "note",
}  # fmt: skip


def child_prefetches(today: dt.date, user: Any) -> tuple[Prefetch[Any], Prefetch[Any]]:
    """Guardians (with their person) and the circumstances in force on `today` that `user` may see (as
    `circumstances_today`)."""
    circumstances = Circumstance.objects.on(today).filter(confidential.visible_q(user))
    return (
        Prefetch("guardianships", queryset=Guardianship.objects.select_related("person").order_by("pk")),
        Prefetch(
            "circumstances",
            queryset=circumstances.select_related("type").order_by("type__kind", "type__sort_order"),
            to_attr="circumstances_today",
        ),
    )


def _circumstances_today(child: Child) -> list[Circumstance]:
    """What `child_prefetches` put on the child."""
    return child.circumstances_today  # type: ignore[attr-defined]  # a Prefetch's to_attr, set at run time


def _dob_text(child: Child) -> str:
    d = child.date_of_birth
    if d is None:
        return ""
    if child.dob_precision == DatePrecision.MONTH:
        return d.strftime("%m/%Y")
    if child.dob_precision == DatePrecision.YEAR:
        return str(d.year)
    if child.dob_precision == DatePrecision.ESTIMATED:
        return f"{d.year} (ước tính)"
    return d.strftime("%d/%m/%Y")


def child_row(child: Child, household: Household | None = None) -> ChildRow:
    """Needs `child_prefetches`. The place comes from `household` when given (the book), else from the child's own
    `village`/`commune`, which `selectors.child_list` selects."""
    place: Child | Household = household or child
    household = household or child.household
    fathers, mothers, others = [], [], []
    for g in child.guardianships.all():
        if g.relation == Relation.FATHER:
            fathers.append(g.person.full_name)
        elif g.relation == Relation.MOTHER:
            mothers.append(g.person.full_name)
        else:
            others.append(f"{g.person.full_name} ({RELATION_VI.get(g.relation, g.relation)})")
    current = getattr(child, "circumstances_today", [])
    groups = [c for c in current if c.type.kind == CircumstanceKind.SPECIAL]
    exact = child.date_of_birth is not None and child.dob_precision == DatePrecision.DAY
    return ChildRow(
        full_name=child.full_name, birth_date=child.date_of_birth if exact else None, dob_text=_dob_text(child),
        sex=_vi(Sex, child.sex) or child.sex, ethnicity=child.ethnicity, personal_id=child.personal_id or "",
        father="; ".join(fathers), mother="; ".join(mothers), caregivers="; ".join(others),
        village=place.village.name if place.village else "", commune=place.commune.name,
        household_code=household.code, household_head=household.head_name,
        special_groups="; ".join(c.type.code for c in groups),
        special_group_names="; ".join(f"{c.type.code}. {c.type.name_vi}" for c in groups),
        risks="; ".join(c.type.name_vi for c in current if c.type.kind == CircumstanceKind.RISK),
        schooling=_vi(SchoolStatus, child.school_status), note=child.note,
    )  # fmt: skip


def _place_name(unit: Unit | None) -> str:
    """`Bản Hon, Xã Khun Há, Tỉnh Lai Châu`: the unit and its parents, nearest first."""
    if unit is None:
        return "Toàn quốc"
    return ", ".join(reversed(unit.full_path.split(" > "))) if unit.full_path else unit.name


# --- workbook writing ---------------------------------------------------------------------------------------


class _Sheet:
    """One constant-memory worksheet: a title block, a header row, then rows strictly top to bottom."""

    def __init__(self, out: IO[bytes], sheet_name: str, columns: Sequence[str]) -> None:
        self.book = xlsxwriter.Workbook(out, {"constant_memory": True})
        self.ws: xlsxwriter.worksheet.Worksheet = self.book.add_worksheet(sheet_name)
        self.columns = list(columns)
        add = self.book.add_format
        self.fmt: dict[str, xlsxwriter.format.Format] = {
            "title": add({"bold": True, "font_size": 14}),
            "header": add({"bold": True, "border": 1, "text_wrap": True, "align": "center", "valign": "vcenter"}),
            "text": add({"num_format": "@"}),
            "date": add({"num_format": "dd/mm/yyyy", "align": "left"}),
            "group": add({"bold": True, "bg_color": "#EDEDED"}),
        }
        for col, name in enumerate(self.columns):
            self.ws.set_column(col, col, COLUMN_WIDTHS.get(name, 14))
        self.row = 0

    def title(self, title: str, *lines: str) -> None:
        write_text(self.ws, 0, 0, title, self.fmt["title"])
        for offset, line in enumerate(lines[: HEADER_ROW - 1], start=1):
            write_text(self.ws, offset, 0, line)
        for col, name in enumerate(self.columns):
            write_text(self.ws, HEADER_ROW, col, name, self.fmt["header"])
        self.ws.freeze_panes(HEADER_ROW + 1, 0)
        self.row = HEADER_ROW + 1

    def group(self, text: str) -> None:
        write_merged_text(self.ws, self.row, 0, self.row, len(self.columns) - 1, text, self.fmt["group"])
        self.row += 1

    def child(self, number: int, r: ChildRow) -> None:
        for col, name in enumerate(self.columns):
            if name == "STT":
                self.ws.write_number(self.row, col, number)
            elif name == "Ngày sinh" and r.birth_date is not None:
                self.ws.write_datetime(self.row, col, r.birth_date, self.fmt["date"])
            elif name == "Số định danh cá nhân":
                write_text(self.ws, self.row, col, r.personal_id, self.fmt["text"])  # text: keeps the leading 0
            elif value := getattr(r, _FIELD_OF[name]):
                write_text(self.ws, self.row, col, value)
        self.row += 1

    def close(self, *, autofilter: bool = False) -> None:
        if autofilter and self.row > HEADER_ROW + 1:
            self.ws.autofilter(HEADER_ROW, 0, self.row - 1, len(self.columns) - 1)
        self.book.close()


def _in_chunks(qs: QuerySet[Child]) -> Iterable[Child]:
    return qs.iterator(chunk_size=CHUNK_SIZE)


# --- the child list -----------------------------------------------------------------------------------------


def _list_unit(request: AuthedRequest, unit_id: int | None) -> Unit | None:
    return (visible_unit(request.user, unit_id) if unit_id is not None else None) or scope_root(request.user)


@require_capability(rules.EXPORT_REGISTRY)
@require_GET
def child_list_xlsx(request: AuthedRequest) -> FileResponse:
    """The child list page's children, same filters and scope, as a workbook."""
    today = today_vn()
    f = views._filter_from(request)
    qs = selectors.child_list(request.user, f).prefetch_related(*child_prefetches(today, request.user))
    unit = _list_unit(request, f.unit_id)
    place = _place_name(unit)
    shown: list[Circumstance] = []

    def write(out: IO[bytes]) -> None:
        sheet = _Sheet(out, "Danh sách trẻ em", CHILD_LIST_COLUMNS)
        sheet.title(CHILD_LIST_TITLE, place, f"Ngày xuất: {today:%d/%m/%Y}")
        for number, child in enumerate(_in_chunks(qs), start=1):
            sheet.child(number, child_row(child))
            shown.extend(c for c in _circumstances_today(child) if confidential.is_confidential(c))
        sheet.close(autofilter=True)

    response = xlsx_response(write, f"danh-sach-tre-em-{today:%Y%m%d}.xlsx")
    selectors.audit_confidential_shown(
        request.user, shown, where="danh sách trẻ em (xlsx)", unit_path=unit.path if unit else "",
        action=Action.EXPORT, request=request,
    )  # fmt: skip
    return response


# --- the household book -------------------------------------------------------------------------------------


@dataclass
class BookSection:
    household: Household
    poverty: str  # "Hộ nghèo", "Hộ cận nghèo" or ""
    children: list[ChildRow] = field(default_factory=list)

    @property
    def heading(self) -> str:
        h = self.household
        parts = [f"Hộ {h.code}" if h.code else "Hộ", f"Chủ hộ: {h.head_name or '—'}"]
        if h.address:
            parts.append(f"Địa chỉ: {h.address}")
        if self.poverty:
            parts.append(self.poverty)
        return " – ".join(parts)


@dataclass
class Book:
    unit: Unit
    commune: Unit
    village: Unit | None
    today: dt.date
    sections: list[BookSection]
    confidential_shown: list[Circumstance] = field(default_factory=list)  # case-derived groups it prints

    @property
    def child_count(self) -> int:
        return sum(len(s.children) for s in self.sections)


def _book_unit(request: AuthedRequest, pk: int) -> Unit:
    unit = get_for_user_or_404(request.user, Unit.objects.select_related("parent"), pk=pk)
    if unit.level not in (Level.VILLAGE, Level.COMMUNE):
        raise Http404
    return unit


def household_book_data(user: Any, unit: Unit, today: dt.date) -> Book:
    """The active households of a village (or a whole commune) and their children living there, in a fixed
    number of queries whatever the number of households."""
    poverty = HouseholdPoverty.objects.filter(valid_from__lte=today).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=today)
    )
    children = (
        Child.objects.filter(status=ChildStatus.ACTIVE)
        .order_by(F("date_of_birth").asc(nulls_last=True), "name_key", "pk")
        .prefetch_related(*child_prefetches(today, user))
    )
    households = (
        selectors.households_for_user(user)
        .filter(unit_path__path_prefix=unit.path, is_active=True)
        .select_related("village", "commune")
        .prefetch_related(
            Prefetch("children", queryset=children, to_attr="book_children"),
            Prefetch("poverty_periods", queryset=poverty, to_attr="poverty_today"),
        )
        .order_by("unit_path", "code", "head_name", "pk")
    )
    sections = []
    shown: list[Circumstance] = []
    for h in households:
        status = h.poverty_today[0].status if h.poverty_today else ""
        rows = [child_row(c, household=h) for c in h.book_children]
        sections.append(BookSection(household=h, poverty=_vi(PovertyStatus, status or ""), children=rows))
        shown.extend(
            c for child in h.book_children for c in _circumstances_today(child) if confidential.is_confidential(c)
        )
    is_village = unit.level == Level.VILLAGE
    commune = unit.parent if is_village and unit.parent else unit
    book = Book(unit=unit, commune=commune, village=unit if is_village else None, today=today, sections=sections)
    book.confidential_shown = shown
    return book


def _audit_book(request: AuthedRequest, book: Book, ext: str, action: str) -> None:
    selectors.audit_confidential_shown(
        request.user, book.confidential_shown, where=f"sổ theo dõi trẻ em {book.unit.name} ({ext})",
        unit_path=book.unit.path, action=action, request=request,
    )  # fmt: skip


def _book_filename(unit: Unit, today: dt.date, ext: str) -> str:
    return f"so-theo-doi-tre-em-{slugify(fold(unit.name)) or unit.pk}-{today:%Y%m%d}.{ext}"


@require_capability(rules.SEE_REGISTRY)
@require_GET
def household_book_xlsx(request: AuthedRequest, pk: int) -> FileResponse:
    unit = _book_unit(request, pk)
    today = today_vn()
    book = household_book_data(request.user, unit, today)
    _audit_book(request, book, "xlsx", Action.EXPORT)

    def write(out: IO[bytes]) -> None:
        sheet = _Sheet(out, "Sổ theo dõi trẻ em", BOOK_COLUMNS)
        sheet.title(BOOK_TITLE, _place_name(unit), f"Ngày lập: {today:%d/%m/%Y}")
        for section in book.sections:
            sheet.group(section.heading)
            for number, row in enumerate(section.children, start=1):
                sheet.child(number, row)
        sheet.close()

    return xlsx_response(write, _book_filename(unit, today, "xlsx"))


@require_capability(rules.SEE_REGISTRY)
@require_GET
def household_book_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    import weasyprint  # heavy (cairo, pango): loaded only when a PDF is asked for

    unit = _book_unit(request, pk)
    today = today_vn()
    book = household_book_data(request.user, unit, today)
    _audit_book(request, book, "pdf", Action.PRINT)
    html = render_to_string(
        "registry/print/household_book.html", {"book": book, "columns": BOOK_COLUMNS, "title": BOOK_TITLE}, request
    )
    pdf = weasyprint.HTML(string=html).write_pdf()  # no base_url: the template loads nothing from outside
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_book_filename(unit, today, "pdf")}"'
    return response
