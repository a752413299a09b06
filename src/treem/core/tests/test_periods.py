"""Periods as the design writes them, and the date-of-birth threshold that age bands are counted by."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from treem.core.dates import age_on, years_before
from treem.core.periods import Period, PeriodError, PeriodKind


@pytest.mark.parametrize(
    ("text", "start", "end", "kind"),
    [
        ("2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31), PeriodKind.YEAR),
        ("2025S1", dt.date(2025, 1, 1), dt.date(2025, 6, 30), PeriodKind.HALF),
        ("2025s2", dt.date(2025, 7, 1), dt.date(2025, 12, 31), PeriodKind.HALF),
        ("2024Q1", dt.date(2024, 1, 1), dt.date(2024, 3, 31), PeriodKind.QUARTER),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29), PeriodKind.MONTH),
    ],
)
def test_parse(text, start, end, kind):
    p = Period.parse(text)
    assert (p.start, p.end, p.kind) == (start, end, kind)
    assert Period.parse(str(p)) == p


@pytest.mark.parametrize("text", ["2025H1", "2025S3", "2025Q5", "2025-13", "25", ""])
def test_refuses(text):
    with pytest.raises(PeriodError):
        Period.parse(text)


def test_previous_and_iso():
    assert str(Period.parse("2025S1").previous()) == "2024S2"
    assert Period.parse("2025S2").iso == "2025-07-01/P6M"


@given(
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31)),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31)),
    st.integers(min_value=0, max_value=17),
)
def test_born_on_or_before_the_threshold_exactly_when_old_enough(dob, day, years):
    if dob > day:
        return
    assert (age_on(dob, day) >= years) == (dob <= years_before(day, years))
