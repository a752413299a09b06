"""Vietnamese working days: no weekends, public holidays from the `holidays` package's Vietnam calendar (Tết
included) with the make-up working Saturdays it lists (`weekend_workdays`, e.g. 26/04/2025, 22/08/2026), plus the
extra days off and make-up working days the Government announces, stored as data (WorkdayAdjustment, which wins)."""

from __future__ import annotations

import calendar as cal
import datetime as dt
import functools
from typing import Any

import holidays

from treem.core.dates import VN_TZ, date_vn


def end_of_day(day: dt.date) -> dt.datetime:
    """23:59:59 of `day` in Vietnam: when a limit counted in days ends."""
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=VN_TZ)


def iso_date(value: Any) -> dt.date | None:
    """A date as a case's recorded data (JSON) keeps it, yyyy-mm-dd; None when missing or not a date."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or ""))
    except ValueError:
        return None


@functools.lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.Vietnam(years=[year]).keys())


@functools.lru_cache(maxsize=64)
def _make_up_workdays(year: int) -> frozenset[dt.date]:
    """Weekend days worked in exchange for a day off; a swap may cross the new year (27/12/2014 for 02/01/2015)."""
    calendar = holidays.Vietnam(years=[year, year + 1])
    return frozenset(d for d in getattr(calendar, "weekend_workdays", ()) if d.year == year)


def _adjustments() -> dict[dt.date, str]:
    from .models import WorkdayAdjustment

    return dict(WorkdayAdjustment.objects.values_list("date", "kind"))


class WorkCalendar:
    def __init__(self, adjustments: dict[dt.date, str] | None = None) -> None:
        self.adjustments = _adjustments() if adjustments is None else adjustments

    def is_working_day(self, day: dt.date) -> bool:
        kind = self.adjustments.get(day)
        if kind == "workday":
            return True
        if kind == "day_off":
            return False
        if day in _make_up_workdays(day.year):
            return True
        return day.weekday() < 5 and day not in _public_holidays(day.year)

    def shift_working_days(self, day: dt.date, days: int) -> dt.date:
        """The `days`-th working day after `day`, or before it when `days` is negative (`day` itself for 0)."""
        step = dt.timedelta(days=1 if days >= 0 else -1)
        counted = 0
        while counted < abs(days):
            day += step
            if self.is_working_day(day):
                counted += 1
        return day

    def add_working_days(self, start: dt.datetime, days: int) -> dt.datetime:
        """The end (23:59:59 local) of the `days`-th working day after the day of `start`."""
        return end_of_day(self.shift_working_days(date_vn(start), days))

    def working_days_before(self, day: dt.date, days: int) -> dt.date:
        """The day `days` working days before `day` (e.g. a reminder's first day before a deadline)."""
        return self.shift_working_days(day, -days)


def add_months(start: dt.datetime, months: int) -> dt.datetime:
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    day = min(start.day, cal.monthrange(year, month)[1])
    return start.replace(year=year, month=month, day=day)


def due_at(start: dt.datetime, amount: int, unit: str, calendar: WorkCalendar | None = None) -> dt.datetime:
    if unit == "hours":
        return start + dt.timedelta(hours=amount)
    if unit == "days":
        return start + dt.timedelta(days=amount)
    if unit == "months":
        return add_months(start, amount)
    if unit == "working_days":
        return (calendar or WorkCalendar()).add_working_days(start, amount)
    raise ValueError(f"unknown clock unit {unit!r}")
