"""`treem units verify --against FILE.csv`: the official list (statistics office, 25/6/2025 layout
`code,name,province_code`) against Treem's units. Hand-made fixtures on the synthetic tree, with deliberate
disagreements of every kind."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from treem.units.models import Level
from treem.units.tests.factories import build_tree, make_unit
from treem.units.verify import read_official_list, verify_units


def _csv(tmp_path: Path, body: str, name: str = "nso.csv") -> Path:
    path = tmp_path / name
    path.write_text("code,name,province_code\n" + body, encoding="utf-8")
    return path


def _verify(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    try:
        call_command("units", "verify", "--against", str(path))
        code = 0
    except CommandError as exc:
        code = exc.returncode
    return code, capsys.readouterr().out.splitlines()


@pytest.mark.django_db
def test_nso_list_2025_06_25_layout_that_agrees_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build_tree()
    nfd = unicodedata.normalize("NFD", "Xã Khun Há")
    # NFD text, doubled spaces, a lower-case type word and a code that lost its leading zero still agree.
    path = _csv(tmp_path, f"12,TỈNH Lai Châu,\n3430,{nfd},12\n03412,xã  Bình   Lư,12\n")
    assert _verify(path, capsys) == (0, [])


@pytest.mark.django_db
def test_nso_list_2025_06_25_every_disagreement_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    t = build_tree()
    make_unit(t.province, Level.COMMUNE, "03433", "Xã Sơn Bình", "Xã")  # in Treem only
    path = _csv(
        tmp_path,
        "03430,Xã Khun Ha,12\n"  # a diacritic differs: a real difference
        "03412,Xã Bình Lư,75\n"  # the file puts it in another province
        "03499,Xã Bản Bo,12\n",  # in the file only
    )
    code, lines = _verify(path, capsys)
    assert code == 1
    # Sorted by code; the file names province 75 too, so Đồng Nai's commune is missing from it.
    assert lines == [
        "parent\t03412\t12\t75",
        "name\t03430\tXã Khun Há\tXã Khun Ha",
        "missing-in-file\t03433\tXã Sơn Bình\t-",
        "missing-in-treem\t03499\t-\tXã Bản Bo",
        "missing-in-file\t26080\tPhường Long Khánh\t-",
    ]


@pytest.mark.django_db
def test_nso_list_2025_06_25_only_provinces_in_the_file_are_compared(tmp_path: Path) -> None:
    t = build_tree()
    # Lai Châu checks its own part: Đồng Nai's communes are not "missing in the file".
    rows = read_official_list(_csv(tmp_path, "03430,Xã Khun Há,12\n03412,Xã Bình Lư,12\n"))
    assert verify_units(rows) == []
    # With Đồng Nai's province row the file covers Đồng Nai, so its commune is missing from the file.
    rows = read_official_list(_csv(tmp_path, "75,Tỉnh Đồng Nai,\n", "dong_nai.csv"))
    assert [(d.kind, d.code) for d in verify_units(rows)] == [("missing-in-file", t.far_commune.code)]


def test_a_file_without_the_columns_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("ma,ten\n00082,Phường Cửa Nam\n", encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("units", "verify", "--against", str(path))
    assert exc.value.returncode == 2
    assert "province_code" in str(exc.value)


def test_the_command_help_documents_the_line_format(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        call_command("units", "verify", "--help")
    out = capsys.readouterr().out
    for kind in ("name", "parent", "missing-in-treem", "missing-in-file", "KIND<TAB>CODE<TAB>TREEM<TAB>FILE"):
        assert kind in out
