"""The report's staffing section: the coverage of the report's unit and below it on the period's last day."""

from __future__ import annotations

import datetime as dt

import pytest

from treem.staff.models import Position, Worker
from treem.staff.report import staffing_section

pytestmark = pytest.mark.django_db

START, END = dt.date(2025, 1, 1), dt.date(2025, 6, 30)


def _post(unit, position: str, since: dt.date = dt.date(2024, 1, 1), until: dt.date | None = None) -> Worker:  # noqa: ANN001
    return Worker.objects.create(
        unit=unit, unit_path=unit.path, position=position, full_name="Người Thử", since=since, until=until
    )


@pytest.fixture
def roster(tree):  # noqa: ANN001, ANN201
    """Khun Há: an officer; a collaborator in Hon, Lầm's stopped on the period's last day. Bình Lư: an officer from
    the next period only. Long Khánh (another province): an officer."""
    _post(tree.commune, Position.OFFICER)
    _post(tree.village, Position.COLLABORATOR)
    _post(tree.sibling_village, Position.COLLABORATOR, until=END)
    _post(tree.sibling, Position.OFFICER, since=END + dt.timedelta(days=1))
    _post(tree.far_commune, Position.OFFICER)


def test_the_province_on_the_last_day(tree, roster) -> None:  # noqa: ANN001
    section = staffing_section(unit=tree.province, start=START, end=END)
    [table] = section.tables
    assert [r.cells for r in table.rows] == [
        ("Tỉnh Lai Châu", "2", "1", "1", "2", "1", "1"),
        ("Tổng số", "2", "1", "1", "2", "1", "1"),
    ]  # the far commune's officer is not counted
    text = " ".join(section.paragraphs)
    assert "Xã Bình Lư" in text and "Xã Khun Há" not in text and "30/06/2025" in text
    assert "Người Thử" not in text  # counts, not the people


def test_the_commune_counts_itself_and_its_villages(tree, roster) -> None:  # noqa: ANN001
    section = staffing_section(unit=tree.commune, start=START, end=END)
    assert section.tables[0].rows[-1].cells == ("Tổng số", "1", "0", "1", "2", "1", "1")
    later = staffing_section(unit=tree.commune, start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31))
    assert later.tables[0].rows[-1].cells == ("Tổng số", "1", "1", "0", "2", "2", "0")  # before anyone started


def test_no_section_for_a_unit_without_communes_or_villages(tree) -> None:  # noqa: ANN001
    from treem.units.models import Level
    from treem.units.tests.factories import make_unit

    empty = make_unit(tree.nation, Level.PROVINCE, "99", "Tỉnh Trống", "Tỉnh")
    assert staffing_section(unit=empty, start=START, end=END) is None
