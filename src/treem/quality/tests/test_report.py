"""The report's data-quality section: the unit's communes by their latest snapshot in the period, else by the figures
counted now, worst first by the documented ranking; nothing from outside the unit."""

from __future__ import annotations

import datetime as dt

import pytest

from treem.core.dates import today_vn
from treem.quality.figures import CommuneFigures
from treem.quality.models import Snapshot
from treem.quality.report import quality_section
from treem.quality.services import FIELDS

pytestmark = pytest.mark.django_db

START, END = dt.date(2025, 1, 1), dt.date(2025, 6, 30)


def _snap(commune, month: dt.date, **figures: int) -> Snapshot:  # noqa: ANN001
    values = {"children": 10, "households": 4, "id_verified": 10} | figures
    f = CommuneFigures(commune, **values)
    return Snapshot.objects.create(
        month=month, commune=commune, unit_path=commune.path, score=f.score or 0,
        **{name: getattr(f, name) for name in FIELDS},
    )  # fmt: skip


def _rows(section):  # noqa: ANN001, ANN202
    return [row.cells for row in section.tables[0].rows]


def test_the_latest_snapshot_of_each_commune_in_the_period(tree) -> None:  # noqa: ANN001
    _snap(tree.commune, dt.date(2025, 3, 1), no_id=9)  # an older month of the period
    _snap(tree.commune, dt.date(2025, 5, 1), no_id=2, not_visited=1)  # its latest in the period
    _snap(tree.commune, dt.date(2025, 7, 1), no_id=10)  # after the period
    _snap(tree.sibling, dt.date(2025, 6, 1), no_id=6, no_guardian=3, duplicates_pending=4)
    _snap(tree.far_commune, dt.date(2025, 6, 1), no_id=10)  # another province
    section = quality_section(unit=tree.province, start=START, end=END)
    assert _rows(section) == [
        ("Xã Bình Lư", "1", "15,0", "10", "6", "3", "0", "4"),  # (60 + 30) / 6
        ("Xã Khun Há", "2", "7,5", "10", "2", "0", "1", "0"),  # (20 + 25) / 6
    ]
    assert "05/2025, 06/2025" in section.tables[0].notes[0]
    assert "8/20" in section.paragraphs[0] and "1/8" in section.paragraphs[0]  # the two communes together
    [only] = _rows(quality_section(unit=tree.commune, start=START, end=END))
    assert only[:2] == ("Xã Khun Há", "1")


def test_without_snapshots_the_figures_counted_now(tree, built) -> None:  # noqa: ANN001
    today = today_vn()
    section = quality_section(unit=tree.province, start=today.replace(day=1), end=today)
    rows = _rows(section)
    assert [r[:2] for r in rows] == [("Xã Khun Há", "1"), ("Xã Bình Lư", "2")]  # worst first
    # the hand-built commune (quality/tests/conftest.py): 4 children, 1 without ID, 1 without guardian,
    # 2 of 3 households not visited this year, 2 pending pairs
    assert rows[0][3:] == ("4", "1", "1", "2", "2")
    assert rows[1][3:] == ("1", "0", "0", "0", "1")
    assert today.strftime("%d/%m/%Y") in section.tables[0].notes[0]
    text = " ".join([*section.paragraphs, *(c for r in rows for c in r)])
    assert all(c.full_name not in text for c in built.children)  # counts, not the children


def test_no_section_without_records(tree) -> None:  # noqa: ANN001
    _snap(tree.far_commune, dt.date(2025, 6, 1), no_id=10)
    assert quality_section(unit=tree.province, start=START, end=END) is None
    assert quality_section(unit=tree.village, start=START, end=END) is None
