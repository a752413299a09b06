"""The exports on the hand-built registry of `conftest.registry_data` (figures worked out in `test_engine.py`): the
workbook, DHIS2 dataValueSets JSON and ADX XML carry the same figures as the CSV contract; ADX validates against the
profile's schema and the data-structure schema; suppression hides the same cells in every format, with `--suppress`
and for a reader without `figures.exact`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from lxml import etree
from python_calamine import CalamineWorkbook

from treem.core.periods import Period
from treem.indicators import exports, services
from treem.indicators.models import DataValue, Indicator
from treem.indicators.publish import hidden_cells, values_for
from treem.units.models import Unit

pytestmark = pytest.mark.django_db

Y2025, S1 = Period.parse("2025"), Period.parse("2025S1")
SMALL = {"1", "2", "3", "4"}
DHIS2_KEYS = {"dataElement", "period", "orgUnit", "categoryOptionCombo", "attributeOptionCombo", "value"}
ADX = "{urn:ihe:qrph:adx:2015}"

type Key = tuple[str, str, str]  # indicator code, unit code, disagg


# --- helpers ------------------------------------------------------------------------------------------------


def export(tree, fmt: str, tmp_path: Path, *extra: str, period: str = "2025") -> Path:  # noqa: ANN001
    out = tmp_path / f"{period}{'-'.join(extra)}.{fmt}"
    call_command(
        "indicators", "export", "--period", period, "--unit", tree.province.code, "--format", fmt, *extra, str(out),
        stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip
    return out


def disagg(**dims: str) -> str:
    return ";".join(f"{d}={o}" for d, o in sorted(dims.items()) if o)


def read_csv(data: str) -> dict[Key, str]:
    rows = list(csv.DictReader(io.StringIO(data)))
    return {
        (r["indicator"], r["unit_code"], disagg(sex=r["sex"], age_group=r["age_group"], group=r["group"])): r["value"]
        for r in rows
    }


def read_dhis2(data: str) -> dict[Key, str]:
    values = json.loads(data)["dataValues"]
    keys = set(DataValue.objects.values_list("disagg", flat=True))
    combos = {exports.category_option_combo(k): k for k in keys}
    assert len(combos) == len(keys)  # one combo per breakdown
    return {(v["dataElement"], v["orgUnit"], combos[v["categoryOptionCombo"]]): v["value"] for v in values}


def read_adx(data: bytes) -> dict[Key, str]:
    root = etree.fromstring(data)
    out = {}
    for group in root.iter(f"{ADX}group"):
        for dv in group.iter(f"{ADX}dataValue"):
            dims = {k.lower(): v for k, v in dv.attrib.items() if k not in ("dataElement", "value")}
            out[(dv.get("dataElement"), group.get("orgUnit"), disagg(**dims))] = dv.get("value")
    return out


def schema(xsd: bytes | None = None) -> etree.XMLSchema:
    """The profile's generic schema, or a generated one read from the vendored folder (for its SDMX import)."""
    if xsd is None:
        return etree.XMLSchema(etree.parse(str(exports.ADX_SCHEMA)))
    return etree.XMLSchema(etree.fromstring(xsd, base_url=str(exports.ADX_SCHEMA)))


def assert_valid(data: bytes, xsd: etree.XMLSchema) -> None:
    doc = etree.fromstring(data)
    assert xsd.validate(doc), xsd.error_log


def exact_values(tree, period: Period = Y2025) -> dict[Key, float]:  # noqa: ANN001
    codes = dict(Indicator.objects.values_list("pk", "code"))
    units = dict(Unit.objects.values_list("pk", "code"))
    return {
        (codes[v.indicator_id], units[v.unit_id], v.disagg): v.value for v in values_for(str(period), tree.province)
    }


def hidden_keys(tree, period: Period = Y2025) -> set[Key]:  # noqa: ANN001
    inds = {i.pk: i for i in Indicator.objects.all()}
    units = dict(Unit.objects.values_list("pk", "code"))
    hidden = hidden_cells(values_for(str(period), tree.province), inds)
    return {(inds[i].code, units[u], d) for (i, u, d) in hidden}


@pytest.fixture
def computed(registry_data, tree):  # noqa: ANN001, ANN201
    services.compute(Y2025, [tree.province])
    services.compute(S1, [tree.province])
    return registry_data


def sheet(path: Path | bytes, name: str) -> list[list[object]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(path)) if isinstance(path, bytes) else None
    book = book or CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_name(name).to_python()


def pivot(rows: list[list[object]], unit_code: str, *headers: str) -> object:
    """The cell of a unit's row under the column whose header rows read `headers` (a header merged across columns
    reads on each of them; the total's, merged down, reads empty below)."""
    head = [i for i, r in enumerate(rows) if r[:2] == ["Mã đơn vị", "Đơn vị"]][0]
    data = [r for r in rows[head:] if r[0] == unit_code][0]
    labels = rows[head : head + len(headers)]
    filled = []
    for level in labels:
        current, out = "", []
        for cell in level:
            current = cell or current
            out.append(current)
        filled.append(out)
    col = next(c for c in range(2, len(data)) if all(filled[i][c] == h for i, h in enumerate(headers)))
    return data[col]


# --- DHIS2 ----------------------------------------------------------------------------------------------------


def test_category_option_combo_codes():
    assert exports.category_option_combo("") == "default"
    assert exports.category_option_combo("sex=F") == "SEX_F"
    assert exports.category_option_combo("age_group=0-5;sex=F") == "AGE_GROUP_0-5_SEX_F"
    assert exports.category_option_combo("group=a;sex=M") == "GROUP_a_SEX_M"


def test_dhis2_data_value_set_has_the_dhis2_fields_and_the_hand_computed_figures(computed, tree, tmp_path):
    data = json.loads(export(tree, "dhis2", tmp_path).read_text(encoding="utf-8"))
    assert list(data) == ["dataValues"]
    values = data["dataValues"]
    assert values and all(set(v) == DHIS2_KEYS for v in values)
    assert all(isinstance(v["value"], str) for v in values)
    assert {v["period"] for v in values} == {"2025"}
    assert {v["attributeOptionCombo"] for v in values} == {"default"}
    by = {(v["dataElement"], v["orgUnit"], v["categoryOptionCombo"]): v["value"] for v in values}
    assert by[("children", "12", "default")] == "5"
    assert by[("children", "12", "SEX_M")] == "2"
    assert by[("children", "03430", "AGE_GROUP_6-10_SEX_F")] == "2"
    assert by[("children", "03430-002", "default")] == "1"  # Lầm: G, since birth
    assert by[("children_special", "12", "GROUP_b")] == "1"
    assert by[("children_special_share", "12", "default")] == "40"  # 2 of 5
    assert not any(k[1] in {"75", "26080"} for k in by)  # only the subtree
    half = json.loads(export(tree, "dhis2", tmp_path, period="2025S1").read_text(encoding="utf-8"))["dataValues"]
    assert {v["period"] for v in half} == {"2025S1"}
    assert {(v["dataElement"], v["orgUnit"], v["categoryOptionCombo"]): v["value"] for v in half}[
        ("children", "03430", "default")
    ] == "6"


def test_dhis2_and_adx_carry_every_figure_of_the_csv(computed, tree, tmp_path):
    table = read_csv(export(tree, "csv", tmp_path).read_text(encoding="utf-8"))
    dhis2 = read_dhis2(export(tree, "dhis2", tmp_path).read_text(encoding="utf-8"))
    adx = read_adx(export(tree, "adx", tmp_path).read_bytes())
    # the CSV writes a 0 for a combination nobody is in (its contract); DHIS2 and ADX, like DHIS2, leave zeros out
    assert table and all(dhis2.get(k, "0") == v for k, v in table.items())
    assert all(adx.get(k, "0") == v for k, v in table.items())
    assert all(k in dhis2 for k, v in table.items() if v != "0")
    assert dhis2 == adx  # and the breakdowns the CSV leaves out (ethnicity, area) are in both
    assert dhis2[("children", "12", "area=rural")] == "5"


# --- ADX ------------------------------------------------------------------------------------------------------


def test_adx_is_valid_against_the_profile_schema_and_the_data_structure_schema(computed, tree, tmp_path):
    generic, dsd = schema(), schema(exports.adx_schema())
    for period, iso in (("2025", "2025-01-01/P1Y"), ("2025S1", "2025-01-01/P6M")):
        for extra in ((), ("--suppress",)):
            data = export(tree, "adx", tmp_path, *extra, period=period).read_bytes()
            assert_valid(data, generic)
            assert_valid(data, dsd)
            root = etree.fromstring(data)
            assert root.tag == f"{ADX}adx"
            groups = root.findall(f"{ADX}group")
            assert {g.get("period") for g in groups} == {iso}
            assert {g.get("dataSet") for g in groups} == {"TREEM"}
            assert [g.get("orgUnit") for g in groups][:2] == ["12", "03412"]  # one group per unit, in tree order


def test_adx_figures_and_disaggregation_attributes(computed, tree, tmp_path):
    data = export(tree, "adx", tmp_path).read_bytes()
    root = etree.fromstring(data)
    commune = next(g for g in root.iter(f"{ADX}group") if g.get("orgUnit") == "03430")
    values = {tuple(sorted(dv.attrib.items())): dv for dv in commune}
    key = (("AGE_GROUP", "6-10"), ("SEX", "F"), ("dataElement", "children"), ("value", "2"))
    assert key in values
    assert read_adx(data)[("children_special", "03430", "group=d;sex=F")] == "1"


def test_the_data_structure_schema_refuses_unknown_codes(computed, tree, tmp_path):
    """The generated schema can fail: an option, a data element or a disaggregation it does not know."""
    dsd = schema(exports.adx_schema())
    data = export(tree, "adx", tmp_path).read_bytes()
    assert_valid(data, dsd)
    for good, bad in (
        (b'SEX="F"', b'SEX="X"'), (b'dataElement="children"', b'dataElement="nope"'),
        (b'SEX="F"', b'SEX="F" COLOUR="red"'), (b'period="2025-01-01/P1Y"', b'period="2025"'),
    ):  # fmt: skip
        assert good in data
        assert not dsd.validate(etree.fromstring(data.replace(good, bad, 1)))
    assert not schema().validate(etree.fromstring(data.replace(b'value="5"', b'value="&lt;5"', 1)))


def test_adx_without_any_value_is_refused(computed, tree, tmp_path):
    out = tmp_path / "none.adx"
    with pytest.raises(CommandError, match="compute"):
        call_command(
            "indicators", "export", "--period", "2024", "--unit", tree.province.code, "--format", "adx", str(out),
            stdout=io.StringIO(), stderr=io.StringIO(),
        )  # fmt: skip
    assert not out.exists()


# --- workbook -------------------------------------------------------------------------------------------------


def test_the_workbook_is_a_vietnamese_pivot_per_indicator_with_numbers(computed, tree, tmp_path):
    path = export(tree, "xlsx", tmp_path)
    names = CalamineWorkbook.from_path(str(path)).sheet_names
    assert names[0] == "Thông tin" and {"children", "children_special", "children_special_share"} <= set(names)
    rows = sheet(path, "children")
    assert rows[0][0] == "Dân số trẻ em (dưới 16 tuổi)"
    assert "Năm 2025 (01/01/2025 – 31/12/2025)" in rows[1][0] and "Tỉnh Lai Châu" in rows[1][0]
    assert pivot(rows, "12", "Tổng số") == 5
    assert pivot(rows, "12", "Giới tính", "Nam") == 2
    assert pivot(rows, "03430", "Giới tính × Nhóm tuổi", "Nữ, 6–10 tuổi") == 2
    assert pivot(rows, "03430", "Giới tính", "Nam") == 0  # a computed count absent from the store is a zero
    assert pivot(rows, "03430-002", "Tổng số") == 1
    assert isinstance(pivot(rows, "12", "Tổng số"), float)  # a number, not text
    units = [r[1] for r in rows if r[0] in {"12", "03412", "03430", "03430-001", "03430-002"}]
    assert units == ["Tỉnh Lai Châu", "Xã Bình Lư", "Xã Khun Há", "Bản Hon", "Bản Lầm"]  # tree order
    share = sheet(path, "children_special_share")
    assert pivot(share, "12", "Tổng số", "", "Tử số") == 2
    assert pivot(share, "12", "Tổng số", "", "Mẫu số") == 5
    assert pivot(share, "12", "Tổng số", "", "Tỷ lệ (%)") == 40
    assert round(pivot(share, "12", "Giới tính", "Nữ", "Tỷ lệ (%)"), 2) == 33.33  # 1 of 3


def test_the_information_sheet_names_definitions_legal_basis_agency_and_says_the_figures_are_exact(
    computed, tree, tmp_path
):
    rows = sheet(export(tree, "xlsx", tmp_path), "Thông tin")
    text = "\n".join(str(c) for r in rows for c in r)
    assert "Tỉnh Lai Châu (mã 12)" in text and "Năm 2025" in text
    assert "Số liệu chính xác" in text
    head = next(i for i, r in enumerate(rows) if r[0] == "Mã chỉ tiêu")
    assert rows[head][:3] == ["Mã chỉ tiêu", "Mã theo văn bản", "Chỉ tiêu"]
    children = next(dict(zip(rows[head], r, strict=True)) for r in rows[head + 1 :] if r[0] == "children")
    ind = Indicator.objects.get(code="children")
    assert children["Định nghĩa"] == ind.definition_vi and children["Căn cứ pháp lý"] == ind.legal_basis
    assert children["Cơ quan chịu trách nhiệm"] == ind.agency and children["Đơn vị tính"] == "Số lượng"
    abused = next(dict(zip(rows[head], r, strict=True)) for r in rows[head + 1 :] if r[0] == "abused_children")
    assert abused["Mã theo văn bản"] == "0101"


# --- suppression in every format ------------------------------------------------------------------------------


def check_suppressed(tree, csv_text: str, dhis2_text: str, adx: bytes, xlsx: bytes) -> None:  # noqa: ANN001
    """The cells `publish.hidden_cells` hides are marked in the CSV and the workbook and left out of DHIS2 and ADX;
    every other figure is exact."""
    exact = exact_values(tree)
    hidden = hidden_keys(tree)
    assert any(k[0] == "children" for k in hidden)  # the small dataset has small cells
    ratios = set(Indicator.objects.exclude(measure="count").values_list("code", flat=True))
    table = read_csv(csv_text)
    for k, v in table.items():
        assert v in {"<5", "x"} if k in hidden else v not in SMALL or k[0] in ratios
    assert "<5" in table.values()
    published = {k: exports.format_value(v) for k, v in exact.items() if k not in hidden}
    assert read_dhis2(dhis2_text) == published
    assert read_adx(adx) == published
    assert_valid(adx, schema())
    assert_valid(adx, schema(exports.adx_schema()))
    rows = sheet(xlsx, "children")
    numbers = [c for r in rows for c in r if isinstance(c, float)]
    assert not any(0 < n < 5 for n in numbers)
    assert "<5" in [c for r in rows for c in r]
    assert pivot(rows, "12", "Tổng số") == 5
    assert "Đã ẩn số nhỏ" in rows[2][0]


def test_suppress_hides_the_same_cells_in_every_format(computed, tree, tmp_path):
    files = {fmt: export(tree, fmt, tmp_path, "--suppress") for fmt in ("csv", "dhis2", "adx", "xlsx")}
    check_suppressed(
        tree, files["csv"].read_text(encoding="utf-8"), files["dhis2"].read_text(encoding="utf-8"),
        files["adx"].read_bytes(), files["xlsx"].read_bytes(),
    )  # fmt: skip
