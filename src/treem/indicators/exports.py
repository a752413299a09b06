"""Exports of stored values: the CSV contract, an Excel workbook, DHIS2 dataValueSets JSON and ADX XML.

Every format reads the same stored values of a unit's subtree for one period (`export_rows`); with `suppress` the
small cells and their complementary partners are hidden (`publish.hidden_cells`): shown as "<5"/"x" in the CSV and
the workbook, left out of the DHIS2 and ADX files (a receiving system stores numbers, not marks).

**CSV** (`treem indicators export --format csv`, a contract): columns, in this order,
indicator,unit_code,period,sex,age_group,group,value — `indicator` the definition's code, `unit_code` the unit's
official code, `sex` M/F/empty (all), `age_group` 0-5/6-10/11-15/empty, `group` the law letter/empty; one row per unit
of the subtree and breakdown by those three dimensions (breakdowns by other dimensions are in the other formats). Rows
are sorted by indicator, unit path and breakdown.

**Workbook** (xlsx, in Vietnamese whatever the reader's language): a sheet "Thông tin" (the unit, the period, what
suppression did, and each indicator's code, legal code, group, unit of measure, periodicity, source, definition,
legal basis and responsible agency, with a link to its sheet), then one sheet per indicator: a pivot with the units
of the subtree as rows (indented by level) and the total and every breakdown as columns; numbers are numbers, and a
ratio has its numerator, denominator and value side by side.

**DHIS2** dataValueSets JSON: `{"dataValues": [{"dataElement", "period", "orgUnit", "categoryOptionCombo",
"attributeOptionCombo", "value"}]}`, every identifier a *code* (import with `idScheme=CODE`): data element = the
indicator's code, org unit = the unit's official code, period in DHIS2's format (2025, 2025S1, 2025Q3, 202505), value
a string. The category option combo of a breakdown is built from its options, dimension by dimension in the order of
the canonical key (dimension codes sorted): the dimension code in upper case, "_", the option code, joined by "_" —
`age_group=0-5;sex=F` → `AGE_GROUP_0-5_SEX_F`, `group=a` → `GROUP_a`; the total has DHIS2's default combo `default`,
and so has every value's attribute option combo. A DHIS2 administrator gives the combos these codes (or maps them).

**ADX** (IHE QRPH ADX, namespace urn:ihe:qrph:adx:2015): `<adx exported=…>` with one `<group orgUnit= period=
dataSet="TREEM">` per unit holding `<dataValue dataElement= value= SEX="F" AGE_GROUP="0-5"/>`: the period as ISO 8601
start/duration (2025-01-01/P6M), each disaggregation an attribute named by the dimension code in upper case whose
value is the option code (DHIS2 reads them as category code and category option code). Valid against the profile's
generic schema (`schemas/adx/adx_loose.xsd`) and against the data-structure-specific schema `adx_schema()` generates
from the definitions (code lists for data elements and for each disaggregation), as the profile asks.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import quoteattr

import xlsxwriter
from django.utils import timezone

from treem.core.periods import Period, PeriodKind
from treem.core.spreadsheet import write_text
from treem.units.models import PATH_SEP, Unit

from .models import Dimension, Indicator, Measure, Periodicity, Source
from .publish import CellKey, Value, format_value, hidden_for, shown, values_for
from .services import parse_disagg
from .suppression import THRESHOLD, Hidden

CSV_COLUMNS = ("indicator", "unit_code", "period", "sex", "age_group", "group", "value")
CSV_DIMS = ("sex", "age_group", "group")


def export_rows(
    period: str, root: Unit, *, suppress: bool, indicators: Iterable[Indicator] | None = None,
    scope: Unit | None = None,
) -> tuple[list[Value], dict[int, Indicator], dict[int, Unit], dict[CellKey, Hidden]]:  # fmt: skip
    """The values under `root`, the indicators and units they name, and the hidden cells (empty when exact): one
    pattern over the reader's whole `scope` (default: `root`), the same as their pages show."""
    values = values_for(period, root, indicators=indicators)
    inds = {i.pk: i for i in Indicator.objects.select_related("group").filter(pk__in={v.indicator_id for v in values})}
    units = {u.pk: u for u in Unit.objects.filter(pk__in={v.unit_id for v in values})}
    hidden = hidden_for(period, scope or root, inds.values()) if suppress else {}
    return values, inds, units, hidden


def write_csv(
    out: IO[str], period: Period, root: Unit, *, suppress: bool = False, indicators: Iterable[Indicator] | None = None,
    scope: Unit | None = None,
) -> int:  # fmt: skip
    """Write the CSV contract; returns the number of data rows."""
    export = Export.collect(period, root, suppress=suppress, indicators=indicators, scope=scope)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    n = 0
    for v in export.values:
        dims = parse_disagg(v.disagg)
        if set(dims) - set(CSV_DIMS):
            continue
        ind, unit = export.indicators[v.indicator_id], export.units[v.unit_id]
        text = shown(v.value, export.hidden.get(v.key))
        writer.writerow([ind.code, unit.code, str(period), *(dims.get(d, "") for d in CSV_DIMS), text])
        n += 1
    return n


# --- shared ---------------------------------------------------------------------------------------------------


class EmptyExport(ValueError):
    """Nothing stored for the unit and period (an ADX document needs at least one value)."""


@dataclass(frozen=True, slots=True)
class Export:
    """What one export writes: the values in publication order, the indicators and units they name, and the cells a
    reader without the right to exact small figures must not see (empty for exact figures)."""

    period: Period
    root: Unit
    values: list[Value]
    indicators: dict[int, Indicator]
    units: dict[int, Unit]
    hidden: dict[CellKey, Hidden]
    suppressed: bool

    @classmethod
    def collect(
        cls, period: Period, root: Unit, *, suppress: bool, indicators: Iterable[Indicator] | None = None,
        scope: Unit | None = None,
    ) -> Export:  # fmt: skip
        values, inds, units, hidden = export_rows(
            str(period), root, suppress=suppress, indicators=indicators, scope=scope
        )

        def order(v: Value) -> tuple[Any, ...]:
            ind, unit = inds[v.indicator_id], units[v.unit_id]
            return (ind.group.sort_order, ind.sort_order, ind.code, unit.path, v.disagg)

        return cls(period, root, sorted(values, key=order), inds, units, hidden, suppress)

    def published(self) -> Iterable[tuple[Value, Indicator, Unit]]:
        """The values a reader may see, in order: hidden cells are left out."""
        for v in self.values:
            if v.key not in self.hidden:
                yield v, self.indicators[v.indicator_id], self.units[v.unit_id]


# --- DHIS2 dataValueSets JSON ---------------------------------------------------------------------------------

DHIS2_DEFAULT_COMBO = "default"  # the code of DHIS2's default category option combo (and attribute option combo)


def category_option_combo(disagg: str) -> str:
    """The DHIS2 category option combo code of a breakdown: `age_group=0-5;sex=F` → `AGE_GROUP_0-5_SEX_F`."""
    dims = parse_disagg(disagg)
    if not dims:
        return DHIS2_DEFAULT_COMBO
    return "_".join(f"{d.upper()}_{o}" for d, o in dims.items())


def dhis2_data_values(export: Export) -> list[dict[str, str]]:
    period = export.period.dhis2
    return [
        {
            "dataElement": ind.code,
            "period": period,
            "orgUnit": unit.code,
            "categoryOptionCombo": category_option_combo(v.disagg),
            "attributeOptionCombo": DHIS2_DEFAULT_COMBO,
            "value": format_value(v.value),
        }  # fmt: skip
        for v, ind, unit in export.published()
    ]


def write_dhis2(
    out: IO[str], period: Period, root: Unit, *, suppress: bool = False, indicators: Iterable[Indicator] | None = None,
    scope: Unit | None = None,
) -> int:  # fmt: skip
    """Write a DHIS2 dataValueSet (JSON); returns the number of data values."""
    values = dhis2_data_values(Export.collect(period, root, suppress=suppress, indicators=indicators, scope=scope))
    out.write('{"dataValues": [')  # one value a line: readable, and the fast (C) encoder for each
    out.write(",".join(f"\n {json.dumps(v, ensure_ascii=False)}" for v in values))
    out.write("\n]}\n")
    return len(values)


# --- ADX XML --------------------------------------------------------------------------------------------------

ADX_NS = "urn:ihe:qrph:adx:2015"
ADX_DATA_SET = "TREEM"
SCHEMAS = Path(__file__).with_name("schemas")
ADX_SCHEMA = SCHEMAS / "adx" / "adx_loose.xsd"  # the profile's generic schema; `adx_schema()` writes the DSD one
NOT_XML_NAME = re.compile(r"[^A-Za-z0-9_.-]")


@cache
def adx_attribute(dimension: str) -> str:
    """The ADX attribute of a disaggregation: its code in upper case (`age_group` → `AGE_GROUP`), made an XML name."""
    name = NOT_XML_NAME.sub("_", dimension.upper())
    return name if name[:1].isalpha() or name[:1] == "_" else f"_{name}"


def write_adx(
    out: IO[bytes], period: Period, root: Unit, *, suppress: bool = False,
    indicators: Iterable[Indicator] | None = None, exported: dt.datetime | None = None, scope: Unit | None = None,
) -> int:  # fmt: skip
    """Write an ADX document, one group per unit; returns the number of data values. EmptyExport when there is
    nothing to write (the schema asks for at least one group of at least one value)."""
    export = Export.collect(period, root, suppress=suppress, indicators=indicators, scope=scope)
    groups: dict[int, list[tuple[Indicator, Value]]] = defaultdict(list)
    for v, ind, unit in export.published():
        groups[unit.pk].append((ind, v))
    if not groups:
        raise EmptyExport(f"no values for {root.code} in {period}")
    q = cache(quoteattr)  # codes and options repeat: escape each once
    stamp = (exported or timezone.now()).isoformat(timespec="seconds")
    out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<adx xmlns="{ADX_NS}" exported={q(stamp)}>\n'.encode())
    n = 0
    for unit in sorted((export.units[pk] for pk in groups), key=lambda u: u.path):
        lines = [f"  <group orgUnit={q(unit.code)} period={q(period.iso)} dataSet={q(ADX_DATA_SET)}>"]
        for ind, v in groups[unit.pk]:
            attrs = "".join(f" {adx_attribute(d)}={q(o)}" for d, o in parse_disagg(v.disagg).items())
            lines.append(f'    <dataValue dataElement={q(ind.code)} value="{format_value(v.value)}"{attrs}/>')
        lines.append("  </group>\n")
        out.write("\n".join(lines).encode())
        n += len(lines) - 2
    out.write(b"</adx>\n")
    return n


def adx_schema(indicators: Iterable[Indicator] | None = None) -> bytes:
    """The data-structure-specific ADX schema of Treem's definitions (the profile's "DSD schema"): the data elements
    and every disaggregation's options as code lists, the periods as SDMX time ranges, and no attribute on a data
    value beyond those. It imports the SDMX common schema from `sdmx/SDMXCommon.xsd`: save it beside
    `schemas/adx/adx_loose.xsd` (or validate with that folder as base)."""
    inds = list(indicators) if indicators is not None else list(Indicator.objects.all())
    dims = list(Dimension.objects.prefetch_related("options"))

    def enum(name: str, codes: Iterable[str]) -> str:
        items = "".join(f"\n      <xs:enumeration value={quoteattr(c)}/>" for c in codes)
        return (
            f'\n  <xs:simpleType name="{name}">\n    <xs:restriction base="xs:token">{items}'
            "\n    </xs:restriction>\n  </xs:simpleType>"
        )

    types = enum("DataElementType", sorted({i.code for i in inds}))
    types += enum("DataSetType", [ADX_DATA_SET])
    for d in dims:
        types += enum(f"{adx_attribute(d.code)}_Type", [o.code for o in d.options.all()])
    attributes = "".join(
        f'\n    <xs:attribute name="{adx_attribute(d.code)}" type="{adx_attribute(d.code)}_Type" use="optional"/>'
        for d in dims
    )
    text = f"""<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns="{ADX_NS}"
  xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"
  targetNamespace="{ADX_NS}" elementFormDefault="qualified">
  <xs:annotation>
    <xs:documentation>ADX data-structure-specific schema of the Treem indicator set, generated from its definitions.
    </xs:documentation>
  </xs:annotation>
  <xs:import namespace="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"
    schemaLocation="sdmx/SDMXCommon.xsd"/>{types}
  <xs:simpleType name="periodType">
    <xs:restriction base="common:TimeRangeType"/>
  </xs:simpleType>
  <xs:complexType name="adxType">
    <xs:sequence maxOccurs="unbounded">
      <xs:element name="group" type="groupType"/>
    </xs:sequence>
    <xs:attribute name="exported" use="required" type="xs:dateTime"/>
    <xs:anyAttribute processContents="skip"/>
  </xs:complexType>
  <xs:complexType name="groupType">
    <xs:sequence maxOccurs="unbounded">
      <xs:element name="dataValue" type="dataValueType"/>
    </xs:sequence>
    <xs:attribute name="orgUnit" use="required" type="xs:token"/>
    <xs:attribute name="period" use="required" type="periodType"/>
    <xs:attribute name="dataSet" use="required" type="DataSetType"/>
    <xs:anyAttribute processContents="skip"/>
  </xs:complexType>
  <xs:complexType name="dataValueType">
    <xs:sequence minOccurs="0" maxOccurs="1">
      <xs:element name="annotation"/>
    </xs:sequence>
    <xs:attribute name="dataElement" use="required" type="DataElementType"/>
    <xs:attribute name="value" use="required" type="xs:decimal"/>{attributes}
  </xs:complexType>
  <xs:element name="adx" type="adxType"/>
</xs:schema>
"""
    return text.encode("utf-8")


# --- Excel workbook -------------------------------------------------------------------------------------------

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
            key = ";".join(f"{d}={dims[d]}" for d in sorted(dims))
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
        if (first_row, first_col) == (last_row, last_col):
            write_text(sheet, first_row, first_col, text, self.head)
        else:
            sheet.merge_range(first_row, first_col, last_row, last_col, "", self.head)
            write_text(sheet, first_row, first_col, text, self.head)

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
