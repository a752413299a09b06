"""**Workbook** (xlsx, in Vietnamese whatever the reader's language): a sheet "Thông tin" (the unit, the period, what
suppression did, and each indicator's code, legal code, group, unit of measure, periodicity, source, definition,
legal basis and responsible agency, with a link to its sheet), then one sheet per indicator: a pivot with the units
of the subtree as rows (indented by level) and the total and every breakdown as columns; numbers are numbers, and a
ratio has its numerator, denominator and value side by side.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import xlsxwriter
from django.utils import timezone

from treem.core.periods import Period, PeriodKind
from treem.core.spreadsheet import write_merged_text, write_text
from treem.units.models import PATH_SEP, Unit

from ..models import Dimension, Indicator, Measure, Periodicity, Source
from ..publish import Value, shown
from ..services import key_of, parse_disagg
from ..suppression import THRESHOLD, Hidden
from .base import Export

# The workbook is in Vietnamese whatever the reader's language (data, not UI text).
MEASURE_VI = {
    Measure.COUNT: "Số lượng", Measure.PERCENT: "Tỷ lệ (%)", Measure.PER_1000: "Tỷ suất (‰)",
    Measure.PER_100000: "Trên 100.000",
}  # fmt: skip
PERIODICITY_VI = {Periodicity.HALF: "6 tháng", Periodicity.YEAR: "Năm"}
SOURCE_VI = {Source.COMPUTED: "Tính từ cơ sở dữ liệu trẻ em và hồ sơ vụ việc", Source.ENTERED: "Đơn vị, cơ quan nhập"}
INFO_SHEET = "Thông tin"
INFO_COLUMNS = (
    "Mã chỉ tiêu", "Mã theo văn bản", "Chỉ tiêu", "Nhóm chỉ tiêu", "Đơn vị tính", "Kỳ báo cáo", "Nguồn số liệu",
    "Định nghĩa", "Căn cứ pháp lý", "Cơ quan chịu trách nhiệm", "Trang tính",
)  # fmt: skip
INFO_WIDTHS = (24, 12, 50, 30, 12, 10, 24, 60, 36, 30, 24)
UNIT_COLUMNS = ("Mã đơn vị", "Đơn vị")
TOTAL = "Tổng số"
NUMERATOR, DENOMINATOR = "Tử số", "Mẫu số"
HEAD_ROW = 4  # 0-based: the indicator, the period and unit, the note on suppression, a blank row, then the headers
NOTE_SUPPRESSED = (
    f"Đã ẩn số nhỏ: giá trị từ 1 đến {THRESHOLD - 1} ghi “<{THRESHOLD}”; ô ghi “x” được ẩn thêm để không thể tính ra "
    f"ô đã ẩn từ các tổng. Tỷ lệ bị ẩn cùng tử số, hoặc khi mẫu số nhỏ hơn {THRESHOLD}."
)
NOTE_EXACT = (
    "Số liệu chính xác, chưa ẩn số nhỏ: chỉ dùng trong nội bộ; trước khi công bố phải ẩn các giá trị "
    f"từ 1 đến {THRESHOLD - 1}."
)
NOTE_BLANK = "Ô trống: không có số liệu (chưa nhập, hoặc mẫu số bằng 0)."
SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\']")


def period_label(period: Period) -> str:
    """The period as a Vietnamese report names it, with its first and last day."""
    match period.kind:
        case PeriodKind.YEAR:
            name = f"Năm {period.year}"
        case PeriodKind.HALF:
            name = f"6 tháng {'đầu' if period.number == 1 else 'cuối'} năm {period.year}"
        case PeriodKind.QUARTER:
            name = f"Quý {period.number}/{period.year}"
        case _:
            name = f"Tháng {period.start.month:02d}/{period.year}"
    return f"{name} ({period.start:%d/%m/%Y} – {period.end:%d/%m/%Y})"


@dataclass(frozen=True, slots=True)
class Labels:
    """Names and order of the disaggregations and their options (Vietnamese)."""

    dims: dict[str, tuple[int, str]]  # code -> (order, name)
    options: dict[tuple[str, str], tuple[int, str]]  # (dimension, option) -> (order, name)

    @classmethod
    def load(cls) -> Labels:
        dims: dict[str, tuple[int, str]] = {}
        options: dict[tuple[str, str], tuple[int, str]] = {}
        for d in Dimension.objects.prefetch_related("options"):
            dims[d.code] = (d.sort_order, d.name_vi)
            for o in d.options.all():
                options[(d.code, o.code)] = (o.sort_order, o.name_vi)
        return cls(dims, options)

    def dim_order(self, code: str) -> tuple[int, str]:
        return (self.dims.get(code, (999, code))[0], code)

    def dim_name(self, code: str) -> str:
        return self.dims.get(code, (0, code))[1]

    def option(self, dim: str, code: str) -> tuple[int, str]:
        return self.options.get((dim, code), (999, code))


@dataclass(frozen=True, slots=True)
class Column:
    disagg: str
    breakdown: str  # "Giới tính × Nhóm tuổi", or "Tổng số"
    option: str  # "Nữ, 6–10 tuổi", or "Tổng số"


def pivot_columns(ind: Indicator, keys: Iterable[str], labels: Labels) -> list[Column]:
    """The total, then each breakdown (in the order of the indicator's crossings, coarser first), each option in
    order."""
    crossings = [set(c) for c in ind.disaggregations]
    by_subset: dict[tuple[str, ...], list[dict[str, str]]] = defaultdict(list)
    for key in set(keys) | {""}:
        dims = parse_disagg(key)
        by_subset[tuple(sorted(dims, key=labels.dim_order))].append(dims)

    def subset_order(subset: tuple[str, ...]) -> tuple[Any, ...]:
        crossing = next((i for i, c in enumerate(crossings) if set(subset) <= c), len(crossings))
        return (bool(subset), crossing, len(subset), [labels.dim_order(d) for d in subset])

    columns = []
    for subset in sorted(by_subset, key=subset_order):
        breakdown = " × ".join(labels.dim_name(d) for d in subset) or TOTAL
        for dims in sorted(by_subset[subset], key=lambda ds: [labels.option(d, ds[d]) for d in subset]):
            key = key_of(dims)
            option = ", ".join(labels.option(d, dims[d])[1] for d in subset) or TOTAL
            columns.append(Column(key, breakdown, option))
    return columns


def _sheet_name(code: str, used: set[str]) -> str:
    base = SHEET_FORBIDDEN.sub("_", code)[:31] or "chi_tieu"
    name, n = base, 1
    while name.lower() in used:
        n += 1
        name = f"{base[: 31 - len(str(n)) - 1]}~{n}"
    used.add(name.lower())
    return name


class Workbook:
    """The xlsx writer: formats made once, text through `safe_text`, numbers as numbers."""

    def __init__(self, out: IO[bytes] | str) -> None:
        self.book = xlsxwriter.Workbook(out, {"strings_to_formulas": False, "strings_to_urls": False})
        fmt = self.book.add_format
        self.title = fmt({"bold": True, "font_size": 13})
        self.note = fmt({"italic": True, "font_color": "#555555"})
        self.head = fmt({"bold": True, "bg_color": "#E8F4EF", "border": 1, "text_wrap": True, "valign": "vcenter",
                         "align": "center"})  # fmt: skip
        self.head_left = fmt({"bold": True, "bg_color": "#E8F4EF", "border": 1, "text_wrap": True, "valign": "top"})
        self.wrap = fmt({"text_wrap": True, "valign": "top"})
        self.link = fmt({"font_color": "#0B5CAD", "underline": 1, "valign": "top"})
        self.count = fmt({"num_format": "#,##0"})
        self.ratio = fmt({"num_format": "#,##0.00"})
        self.mark = fmt({"align": "right", "font_color": "#8A6D00"})
        self._indent: dict[tuple[int, bool], Any] = {}

    def unit_format(self, depth: int, bold: bool) -> Any:
        if (depth, bold) not in self._indent:
            self._indent[(depth, bold)] = self.book.add_format({"indent": min(depth, 15), "bold": bold})
        return self._indent[(depth, bold)]

    def header(self, sheet: Any, first_row: int, first_col: int, last_row: int, last_col: int, text: str) -> None:
        write_merged_text(sheet, first_row, first_col, last_row, last_col, text, self.head)

    def close(self) -> None:
        self.book.close()


def write_xlsx(
    out: IO[bytes] | str | Path, period: Period, root: Unit, *, suppress: bool = False,
    indicators: Iterable[Indicator] | None = None, exported: dt.datetime | None = None, scope: Unit | None = None,
) -> int:  # fmt: skip
    """Write the workbook; returns the number of indicator sheets."""
    export = Export.collect(period, root, suppress=suppress, indicators=indicators, scope=scope)
    labels = Labels.load()
    by_indicator: dict[int, list[Value]] = defaultdict(list)
    for v in export.values:
        by_indicator[v.indicator_id].append(v)
    order = sorted(export.indicators.values(), key=lambda i: (i.group.sort_order, i.sort_order, i.code))
    used: set[str] = {INFO_SHEET.lower()}
    names = {ind.pk: _sheet_name(ind.code, used) for ind in order}
    book = Workbook(str(out) if isinstance(out, Path) else out)
    _info_sheet(book, export, order, names, exported or timezone.now())
    for ind in order:
        _indicator_sheet(book, export, ind, by_indicator[ind.pk], names[ind.pk], labels)
    book.close()
    return len(order)


def _info_sheet(
    book: Workbook, export: Export, order: Sequence[Indicator], names: dict[int, str], exported: dt.datetime
) -> None:
    sheet = book.book.add_worksheet(INFO_SHEET)
    root = export.root
    write_text(sheet, 0, 0, "SỐ LIỆU CHỈ TIÊU VỀ TRẺ EM", book.title)
    write_text(sheet, 1, 0, f"Đơn vị: {root.name} (mã {root.code})")
    write_text(sheet, 2, 0, f"Kỳ: {period_label(export.period)}")
    write_text(sheet, 3, 0, f"Xuất lúc: {timezone.localtime(exported):%d/%m/%Y %H:%M}")
    write_text(sheet, 4, 0, NOTE_SUPPRESSED if export.suppressed else NOTE_EXACT, book.note)
    write_text(sheet, 5, 0, NOTE_BLANK if order else "Không có số liệu cho đơn vị và kỳ này.", book.note)
    head = 7
    for col, (label, width) in enumerate(zip(INFO_COLUMNS, INFO_WIDTHS, strict=True)):
        write_text(sheet, head, col, label, book.head_left)
        sheet.set_column(col, col, width)
    for row, ind in enumerate(order, start=head + 1):
        cells = (
            ind.code, ind.legal_code, ind.name_vi, ind.group.name_vi, MEASURE_VI.get(Measure(ind.measure), ""),
            PERIODICITY_VI.get(Periodicity(ind.periodicity), ""), SOURCE_VI.get(Source(ind.source), ""),
            ind.definition_vi, ind.legal_basis, ind.agency,
        )  # fmt: skip
        for col, text in enumerate(cells):
            write_text(sheet, row, col, text, book.wrap)
        sheet.write_url(row, len(cells), f"internal:'{names[ind.pk]}'!A1", book.link, string=names[ind.pk])
    sheet.freeze_panes(head + 1, 1)


def _indicator_sheet(
    book: Workbook, export: Export, ind: Indicator, values: list[Value], name: str, labels: Labels
) -> None:
    sheet = book.book.add_worksheet(name)
    columns = pivot_columns(ind, (v.disagg for v in values), labels)
    cells = {(v.unit_id, v.disagg): v for v in values}
    units = sorted({export.units[v.unit_id] for v in values}, key=lambda u: u.path)
    with_total = {v.unit_id for v in values if v.disagg == ""}
    measure = MEASURE_VI.get(Measure(ind.measure), "")
    title = f"{ind.legal_code} – {ind.name_vi}" if ind.legal_code else ind.name_vi
    write_text(sheet, 0, 0, title, book.title)
    write_text(sheet, 1, 0, f"Kỳ: {period_label(export.period)} · Đơn vị: {export.root.name} · Đơn vị tính: {measure}")
    write_text(sheet, 2, 0, NOTE_SUPPRESSED if export.suppressed else NOTE_EXACT, book.note)
    width = 3 if ind.is_ratio else 1
    last_head = HEAD_ROW + (2 if ind.is_ratio else 1)
    for col, label in enumerate(UNIT_COLUMNS):
        book.header(sheet, HEAD_ROW, col, last_head, col, label)
    sheet.set_column(0, 0, 12)
    sheet.set_column(1, 1, 34)
    col = len(UNIT_COLUMNS)
    groups: list[tuple[str, int, int]] = []
    for c in columns:
        if groups and groups[-1][0] == c.breakdown:
            groups[-1] = (c.breakdown, groups[-1][1], col + width - 1)
        else:
            groups.append((c.breakdown, col, col + width - 1))
        if c.disagg == "":
            book.header(sheet, HEAD_ROW, col, HEAD_ROW + 1, col + width - 1, TOTAL)
        else:
            book.header(sheet, HEAD_ROW + 1, col, HEAD_ROW + 1, col + width - 1, c.option)
        if ind.is_ratio:
            for i, label in enumerate((NUMERATOR, DENOMINATOR, measure)):
                book.header(sheet, HEAD_ROW + 2, col + i, HEAD_ROW + 2, col + i, label)
        col += width
    for breakdown, first, last in groups:
        if breakdown != TOTAL:
            book.header(sheet, HEAD_ROW, first, HEAD_ROW, last, breakdown)
    sheet.set_column(len(UNIT_COLUMNS), col - 1, 11)
    zero_when_absent = ind.source == Source.COMPUTED and not ind.is_ratio
    root_depth = export.root.path.count(PATH_SEP)
    for row, unit in enumerate(units, start=last_head + 1):
        write_text(sheet, row, 0, unit.code)
        depth = unit.path.count(PATH_SEP) - root_depth
        write_text(sheet, row, 1, unit.name, book.unit_format(depth, unit == export.root))
        col = len(UNIT_COLUMNS)
        for c in columns:
            v = cells.get((unit.pk, c.disagg))
            if v is None:
                if zero_when_absent and unit.pk in with_total:
                    sheet.write_number(row, col, 0, book.count)
            else:
                _write_value(book, sheet, row, col, ind, v, export.hidden.get(v.key))
            col += width
    sheet.freeze_panes(last_head + 1, len(UNIT_COLUMNS))


def _write_value(
    book: Workbook, sheet: Any, row: int, col: int, ind: Indicator, v: Value, state: Hidden | None
) -> None:
    if state is not None:
        for i in range(3 if ind.is_ratio else 1):
            write_text(sheet, row, col + i, shown(v.value, state), book.mark)
        return
    if not ind.is_ratio:
        sheet.write_number(row, col, v.value, book.count)
        return
    for i, number in enumerate((v.numerator, v.denominator)):
        if number is not None:
            sheet.write_number(row, col + i, number, book.count)
    sheet.write_number(row, col + 2, v.value, book.ratio)
