"""Legal clocks: 12 hours, working days across weekends and Tết, make-up working days, follow-ups."""

from __future__ import annotations

import datetime as dt

import pytest

from treem.cases.calendar import WorkCalendar, add_months, due_at
from treem.core.dates import VN_TZ


def at(y: int, m: int, d: int, h: int = 9) -> dt.datetime:
    return dt.datetime(y, m, d, h, tzinfo=VN_TZ)


def test_twelve_hours_is_twelve_hours() -> None:
    assert due_at(at(2026, 3, 6, 20), 12, "hours") == at(2026, 3, 7, 8)


def test_working_days_skip_the_weekend() -> None:
    cal = WorkCalendar(adjustments={})
    # Thursday + 5 working days = Thursday of the next week (Sat and Sun skipped), end of day.
    assert cal.add_working_days(at(2024, 3, 7), 5) == dt.datetime(2024, 3, 14, 23, 59, 59, tzinfo=VN_TZ)
    # Friday + 2 working days = Tuesday
    assert cal.add_working_days(at(2024, 3, 8), 2).date() == dt.date(2024, 3, 12)


def test_working_days_skip_tet() -> None:
    cal = WorkCalendar(adjustments={})
    # Tết 2026: 16–20 February are public holidays (Mon–Fri); 14–15 and 21–22 are weekends.
    assert cal.add_working_days(at(2026, 2, 12), 2).date() == dt.date(2026, 2, 23)
    assert cal.add_working_days(at(2026, 2, 13), 5).date() == dt.date(2026, 2, 27)


def test_extra_days_off_and_make_up_working_days_are_data() -> None:
    plain = WorkCalendar(adjustments={})
    assert plain.add_working_days(at(2024, 3, 8), 1).date() == dt.date(2024, 3, 11)
    make_up = WorkCalendar(adjustments={dt.date(2024, 3, 9): "workday"})
    assert make_up.add_working_days(at(2024, 3, 8), 1).date() == dt.date(2024, 3, 9)
    day_off = WorkCalendar(adjustments={dt.date(2024, 3, 11): "day_off"})
    assert day_off.add_working_days(at(2024, 3, 8), 1).date() == dt.date(2024, 3, 12)


def test_working_days_count_backwards_too() -> None:
    """`working_days_before`: the day N working days before a date, the same days skipped as going forwards."""
    cal = WorkCalendar(adjustments={})
    assert cal.working_days_before(dt.date(2024, 3, 14), 5) == dt.date(2024, 3, 7)  # back over a weekend
    assert cal.working_days_before(dt.date(2024, 3, 16), 1) == dt.date(2024, 3, 15)  # from a Saturday
    assert cal.working_days_before(dt.date(2024, 3, 14), 0) == dt.date(2024, 3, 14)
    # Tết 2026: 14–22 February off, so 2 working days before Tue 24/02 is Fri 13/02 (then Mon 23/02 counts 1)
    assert cal.working_days_before(dt.date(2026, 2, 24), 2) == dt.date(2026, 2, 13)
    assert cal.working_days_before(dt.date(2026, 2, 27), 5) == dt.date(2026, 2, 13)
    # the make-up Saturday 26/04/2025 counts; 30/04, 01/05 and the swapped 02/05 do not
    assert cal.working_days_before(dt.date(2025, 5, 5), 3) == dt.date(2025, 4, 26)  # 29/04, 28/04, then Sat 26/04
    assert cal.working_days_before(dt.date(2025, 5, 6), 5) == dt.date(2025, 4, 25)
    # adjustments as data, backwards as forwards
    assert WorkCalendar(adjustments={dt.date(2024, 3, 9): "workday"}).working_days_before(
        dt.date(2024, 3, 11), 1
    ) == dt.date(2024, 3, 9)
    assert WorkCalendar(adjustments={dt.date(2024, 3, 8): "day_off"}).working_days_before(
        dt.date(2024, 3, 11), 1
    ) == dt.date(2024, 3, 7)
    # the inverse of going forwards, from a working day
    for start in (dt.date(2026, 2, 13), dt.date(2025, 4, 25), dt.date(2024, 3, 7)):
        for n in range(1, 8):
            after = cal.add_working_days(at(start.year, start.month, start.day), n).date()
            assert cal.working_days_before(after, n) == start, (start, n)


@pytest.mark.django_db
def test_adjustments_are_read_from_the_database() -> None:
    from treem.cases.models import WorkdayAdjustment

    WorkdayAdjustment.objects.create(date=dt.date(2024, 3, 11), kind="day_off", note="Nghỉ bù")
    assert WorkCalendar().add_working_days(at(2024, 3, 8), 1).date() == dt.date(2024, 3, 12)


def test_months_clamp_to_the_end_of_the_month() -> None:
    assert add_months(at(2024, 1, 31), 1) == at(2024, 2, 29)
    assert add_months(at(2024, 11, 30), 3) == at(2025, 2, 28)
