"""`treem match file`: a CSV in, the pairs out, no database."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from treem.matching import engine

HEADER = ["record_id", "full_name", "date_of_birth", "sex", "ethnicity", "personal_id", "guardian_name", "village",
          "commune_code", "household_code", "special_groups"]  # fmt: skip
ROWS = [
    ["r1", "Nguyễn Thị Lan", "2015-03-07", "F", "Kinh", "033315001234", "Nguyễn Văn Hùng", "Thôn Đông", "10001",
     "H1", ""],
    ["r2", "NGUYEN THI LAN", "2015-03-07", "F", "Kinh", "033315001234", "Nguyen Van Hung", "Thon Dong", "10001",
     "H1", "a"],  # the same child again, same ID: would be merged
    ["r3", "Nguyen Thi Lan", "2015-07-03", "F", "", "", "Nguyễn Văn Hùng", "Thôn Tây", "10001", "H7", ""],  # review
    ["r4", "Nguyễn Thị Hoa", "2015-03-07", "F", "Kinh", "033315009876", "Nguyễn Văn Hùng", "Thôn Đông", "10001",
     "H1", ""],  # Lan's twin sister: never written
    ["r5", "Trần Văn Nam", "2012-01-20", "M", "Kinh", "033212000777", "Trần Văn Bình", "Thôn Đông", "10001", "H2",
     ""],
]  # fmt: skip


def write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([header, *rows])
    return path


def read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.reader(f))


def test_file_mode_end_to_end(tmp_path: Path) -> None:
    source, out = write(tmp_path / "in.csv", HEADER, ROWS), tmp_path / "pairs.csv"
    call_command("match", "file", str(source), "--out", str(out))
    lines = read(out)
    assert lines[0] == ["id_a", "id_b", "probability", "decision"]
    pairs = {(a, b): (float(p), decision) for a, b, p, decision in lines[1:]}
    assert pairs[("r1", "r2")][1] == "merge" and pairs[("r1", "r2")][0] >= engine.AUTO_MERGE
    assert pairs[("r1", "r3")][1] == "review"
    assert all(engine.REVIEW <= p <= 1 for p, _d in pairs.values())
    assert not any("r4" in key or "r5" in key for key in pairs)


def test_columns_may_come_in_any_order_and_some_may_be_missing(tmp_path: Path) -> None:
    header = ["full_name", "record_id", "date_of_birth", "personal_id"]
    rows = [[r[1], r[0], r[2], r[5]] for r in ROWS[:2]]
    result = engine.match_file(write(tmp_path / "in.csv", header, rows), tmp_path / "out.csv")
    assert [(p.id_a, p.id_b) for p in result.pairs] == [("r1", "r2")]


def test_a_file_without_record_id_is_refused(tmp_path: Path) -> None:
    source = write(tmp_path / "in.csv", HEADER[1:], [r[1:] for r in ROWS])
    with pytest.raises(CommandError, match="record_id"):
        call_command("match", "file", str(source), "--out", str(tmp_path / "out.csv"))


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([ROWS[0], ["", *ROWS[1][1:]]], "Line 3 has no record_id"),
        ([ROWS[0], ROWS[0]], "'r1' appears twice"),
    ],
)
def test_record_ids_must_be_there_and_unique(tmp_path: Path, rows: list[list[str]], message: str) -> None:
    with pytest.raises(engine.FileFormatError, match=message):
        engine.match_file(write(tmp_path / "in.csv", HEADER, rows), tmp_path / "out.csv")


def test_read_csv_gives_records(tmp_path: Path) -> None:
    records = list(engine.read_csv(write(tmp_path / "in.csv", HEADER, ROWS)))
    assert records[1].record_id == "r2" and records[1].special_groups == "a" and len(records) == 5
