"""The command-line contract: `treem indicators compute` and `treem indicators export --format csv`."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from treem.indicators.exports import CSV_COLUMNS
from treem.indicators.models import ComputeRun

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("indicators", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_compute_prints_what_it_computed_and_how_long_it_took(registry_data, tree):
    text = run("compute", "--period", "2025", "--unit", tree.province.code)
    assert text.startswith("2025 12 Tỉnh Lai Châu:") and " s" in text
    assert ComputeRun.objects.get().unit == tree.province
    assert run("compute", "--period", "2025S1").startswith("2025S1 VN")  # without --unit: the nation


def test_compute_refuses_a_bad_period_or_an_unknown_unit(tree):
    with pytest.raises(CommandError, match="not a period"):
        run("compute", "--period", "2025H1")
    with pytest.raises(CommandError, match="no unit"):
        run("compute", "--period", "2025", "--unit", "99999")


def test_the_csv_has_the_contract_columns_and_the_exact_figures(registry_data, tree, tmp_path):
    run("compute", "--period", "2025", "--unit", tree.province.code)
    out = tmp_path / "out.csv"
    run("export", "--period", "2025", "--unit", tree.province.code, "--format", "csv", str(out))
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert tuple(rows[0]) == CSV_COLUMNS
    data = [dict(zip(CSV_COLUMNS, r, strict=True)) for r in rows[1:]]
    by = {(r["indicator"], r["unit_code"], r["sex"], r["age_group"], r["group"]): r["value"] for r in data}
    assert by[("children", "12", "", "", "")] == "5"
    assert by[("children", "12", "M", "", "")] == "2"
    assert by[("children", "03430", "F", "6-10", "")] == "2"
    assert by[("children_special", "12", "", "", "b")] == "1"
    assert by[("children_special", "03430", "F", "", "a")] == "1"
    assert {r["period"] for r in data} == {"2025"}
    assert not any(k[0] == "children" and k[1] == "75" for k in by)  # only the subtree
    # one row per unit and combination: a combination nobody is in is a 0, not a missing row
    assert by[("children", "03430", "M", "", "")] == "0"
    assert by[("children", "03430", "M", "0-5", "")] == "0"
    assert by[("children_special", "03430", "", "", "b")] == "0"
    assert ("children", "03430", "unknown", "", "") not in by  # "unknown" only when somebody is


def test_suppress_hides_small_cells_and_their_partners(registry_data, tree, tmp_path):
    run("compute", "--period", "2025", "--unit", tree.province.code)
    out = tmp_path / "out.csv"
    run("export", "--period", "2025", "--unit", tree.province.code, "--format", "csv", "--suppress", str(out))
    values = [r[-1] for r in csv.reader(out.open(encoding="utf-8"))][1:]
    assert "<5" in values
    assert not any(v in {"1", "2", "3", "4"} for v in values)
