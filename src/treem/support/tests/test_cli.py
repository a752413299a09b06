"""`treem support beneficiaries`: the contract's header and rows."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

HEADER = "child_id,full_name,date_of_birth,sex,unit_code,village,groups,reason"


def run(tmp_path: Path, *args: str) -> tuple[str, list[dict[str, str]]]:
    out = tmp_path / "list.csv"
    call_command("support", "beneficiaries", *args, "--out", str(out))
    text = out.read_text(encoding="utf-8")
    return text.splitlines()[0], list(csv.DictReader(text.splitlines()))


def test_the_list_for_a_unit_and_below_on_a_date(tmp_path, tree, kids):
    header, rows = run(tmp_path, "--programme", "gift-special", "--unit", "03430", "--on", "2025-06-01")
    assert header == HEADER
    by_name = {r["full_name"]: r for r in rows}
    assert set(by_name) == {"Lò Thị A", "Lò Văn B", "Lò Văn F", "Lò Thị I"}
    a = by_name["Lò Thị A"]
    assert a == {
        "child_id": str(kids.a.pk), "full_name": "Lò Thị A", "date_of_birth": "2015-03-01", "sex": "F",
        "unit_code": "03430", "village": "Bản Hon", "groups": "a;d",
        "reason": "Trẻ em có hoàn cảnh đặc biệt (nhóm a–o), dưới 16 tuổi",
    }  # fmt: skip
    assert by_name["Lò Thị I"]["groups"] == ""  # case data is never written to a list
    _header, later = run(tmp_path, "--programme", "gift-special", "--unit", "03430", "--on", "2025-10-01")
    assert {r["full_name"] for r in later} == {"Lò Thị A", "Lò Thị I"}  # B is 16, F moved away that day
    _header, province = run(tmp_path, "--programme", "gift-special", "--unit", "12", "--on", "2025-06-01")
    assert {r["unit_code"] for r in province} == {"03430", "03412"}


def test_wrong_arguments(tmp_path, tree, db):
    with pytest.raises(CommandError, match="programme"):
        run(tmp_path, "--programme", "nope", "--unit", "03430", "--on", "2025-06-01")
    with pytest.raises(CommandError, match="unit"):
        run(tmp_path, "--programme", "gift-special", "--unit", "99999", "--on", "2025-06-01")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run(tmp_path, "--programme", "gift-special", "--unit", "03430", "--on", "01/06/2025")
