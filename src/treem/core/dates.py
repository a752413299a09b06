"""Dates as Vietnamese people and spreadsheets write them (day first, always), ages, and dd/mm/yyyy output."""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
from collections.abc import Iterable
from decimal import Decimal
from enum import EnumType, StrEnum
from typing import Any, cast

from treem.core.errors import CleanError, Message, gettext_noop
from treem.core.text import fold

__all__ = [
    "EXCEL_EPOCH",
    "MAX_DATE",
    "MIN_DATE",
    "VN_TZ",
    "YEAR_NUMBERS",
    "DatePrecision",
    "age_on",
    "check_date_range",
    "date_vn",
    "excel_serial",
    "format_partial",
    "format_vn",
    "parse_date",
    "parse_partial_date",
    "today_vn",
]

VN_TZ = dt.timezone(dt.timedelta(hours=7), "ICT")  # Vietnam has no daylight saving time
EXCEL_EPOCH = dt.date(1899, 12, 30)  # 1900 date system, serials from 61 (1900-03-01) on
_EXCEL_EARLY_EPOCH = dt.date(1899, 12, 31)  # serials 1–59, before Lotus' phantom 29/02/1900 (serial 60)
_EXCEL_PHANTOM = 60
_EXCEL_MAX = 2_958_465  # 31/12/9999
# Whole numbers in this range are years ("năm sinh 2015"), not Excel serials (which would be 1904–1906).
YEAR_NUMBERS = range(1800, 2201)


class _Choices(EnumType):
    """`choices` as Django's TextChoices have it, (value, label) pairs; labels translate lazily, on use."""

    @property
    def choices(cls) -> list[tuple[str, Any]]:
        # typeshed types an enum class's iteration through a self-type that a metaclass's own methods lack
        return [(m.value, m.label) for m in cast("Iterable[Any]", cls)]


_PRECISION_LABELS = {
    "day": gettext_noop("exact date"),
    "month": gettext_noop("month and year only"),
    "year": gettext_noop("year only"),
    "estimated": gettext_noop("estimated age"),
}


class DatePrecision(StrEnum, metaclass=_Choices):
    """How much of a date is known; a partial date is stored as its first day. `DatePrecision.choices` are the
    model field's choices (the one DatePrecision of Treem; this module stays importable without Django).

    Text carries DAY, MONTH or YEAR; ESTIMATED (an age someone guessed) is only ever entered."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    ESTIMATED = "estimated"

    @property
    def label(self) -> Any:
        from django.utils.translation import gettext_lazy

        return gettext_lazy(_PRECISION_LABELS[self.value])


def today_vn() -> dt.date:
    """Today's date in Vietnam (UTC+7), whatever the server's time zone: the one "today" of Treem."""
    return dt.datetime.now(VN_TZ).date()


def date_vn(moment: dt.datetime) -> dt.date:
    """The calendar date of a moment in Vietnam: 03:41 on 05/03 in Vietnam is 20:41 on 04/03 UTC, and is 05/03.

    A naive datetime (a spreadsheet cell) is taken as written."""
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(VN_TZ).date()


_TIME_SUFFIX = re.compile(
    r"(?:[ t]|^)\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:am|pm|sa|ch)?\s*(?:z|[+-]\d{2}:?\d{2})?$"
    r"|(?:[ t]|^)\d{1,2}h(?:\d{2})?$"
)
_LEADING_WORDS = re.compile(r"^(?:ngay\s+sinh|sinh\s+ngay|ngay|sinh)\s*:?\s*")
_D = r"([0-9]{1,2})"
_Y4 = r"([0-9]{4})"
_YEAR_FIRST = re.compile(rf"^{_Y4}([-/.]){_D}\2{_D}$")
_DAY_FIRST = re.compile(rf"^{_D}([-/. ]){_D}\2([0-9]{{4}}|[0-9]{{2}})$")
_WORDS = re.compile(rf"^{_D}\s*thang\s*{_D}\s*,?\s*(?:nam\s*)?{_Y4}$")
_MONTH_YEAR = re.compile(rf"^(?:thang\s*)?{_D}\s*(?:[-/.]|,?\s*nam|,)\s*{_Y4}$|^thang\s*{_D}\s+{_Y4}$")
_YEAR_MONTH = re.compile(rf"^{_Y4}[-/]{_D}$")
_YEAR = re.compile(rf"^(?:nam\s*)?{_Y4}$")


def _make(year: int, month: int, day: int, shown: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        if 1 <= month <= 12 and dt.MINYEAR <= year <= dt.MAXYEAR:
            text = Message(
                gettext_noop("The date does not exist: %(value)s (month %(month)s of %(year)s has no day %(day)s)"),
                value=shown, month=month, year=year, day=day,
            )  # fmt: skip
        elif not 1 <= month <= 12:
            text = Message(gettext_noop("The date does not exist: %(value)s (there is no month %(month)s)"),
                           value=shown, month=month)  # fmt: skip
        else:
            text = Message(gettext_noop("The date does not exist: %(value)s (year %(year)s is out of range)"),
                           value=shown, year=year)  # fmt: skip
        raise CleanError("date_invalid", text) from None


def _two_digit_year(yy: int, month: int, day: int, shown: str, today: dt.date) -> dt.date:
    """20yy unless that is after today, then 19yy: "05/03/15" is 2015, "05/03/87" is 1987."""
    candidate = _make(2000 + yy, month, day, shown) if (month, day) != (2, 29) or yy % 4 == 0 else None
    if candidate is not None and candidate <= today:
        return candidate
    return _make(1900 + yy, month, day, shown)


def _from_excel(value: float, shown: str) -> dt.date:
    if not math.isfinite(value) or not 1 <= value < _EXCEL_MAX + 1:
        raise CleanError(
            "date_serial",
            Message(gettext_noop("The number %(value)s is not a date (an Excel day number)"), value=shown),
        )
    serial = math.floor(value)
    if serial == _EXCEL_PHANTOM:
        raise CleanError("date_invalid", Message(gettext_noop("The date does not exist: 29/02/1900 (Excel day 60)")))
    return (_EXCEL_EARLY_EPOCH if serial < _EXCEL_PHANTOM else EXCEL_EPOCH) + dt.timedelta(days=serial)


def excel_serial(d: dt.date) -> int:
    """The Excel (1900 system) serial number of a date from 01/01/1900 on: the inverse of reading a serial."""
    if isinstance(d, dt.datetime):
        d = date_vn(d)
    if d < _EXCEL_EARLY_EPOCH + dt.timedelta(days=1):
        raise CleanError(
            "date_serial", Message(gettext_noop("Excel has no date before 01/01/1900 (%(date)s)"), date=format_vn(d))
        )
    if d < dt.date(1900, 3, 1):
        return (d - _EXCEL_EARLY_EPOCH).days
    return (d - EXCEL_EPOCH).days


def _parse_text(raw: str, today: dt.date) -> tuple[dt.date, DatePrecision]:
    shown = " ".join(raw.split())
    if not shown:
        raise CleanError("date_empty", Message(gettext_noop("No date given")))
    text = fold(shown)  # lower case, no diacritics, full-width digits made ASCII
    text = _TIME_SUFFIX.sub("", text).strip()
    text = _LEADING_WORDS.sub("", text)
    text = re.sub(r"\s*([-/.,])\s*", r"\1", text)
    if m := _YEAR_FIRST.match(text):
        return _make(int(m[1]), int(m[3]), int(m[4]), shown), DatePrecision.DAY
    if m := _DAY_FIRST.match(text):
        day, month, year = int(m[1]), int(m[3]), m[4]
        if len(year) == 2:
            return _two_digit_year(int(year), month, day, shown, today), DatePrecision.DAY
        return _make(int(year), month, day, shown), DatePrecision.DAY
    if m := _WORDS.match(text):
        return _make(int(m[3]), int(m[2]), int(m[1]), shown), DatePrecision.DAY
    if m := _MONTH_YEAR.match(text):
        month, year = (int(m[1]), int(m[2])) if m[1] else (int(m[3]), int(m[4]))
        return _make(year, month, 1, shown), DatePrecision.MONTH
    if m := _YEAR_MONTH.match(text):
        return _make(int(m[1]), int(m[2]), 1, shown), DatePrecision.MONTH
    if m := _YEAR.match(text):
        return _make(int(m[1]), 1, 1, shown), DatePrecision.YEAR
    raise CleanError(
        "date_format",
        Message(
            gettext_noop("Cannot read the date %(value)s: write the day first, as dd/mm/yyyy, for example 05/03/2015"),
            value=repr(shown[:40]),
        ),
    )


def parse_partial_date(raw: object, *, today: dt.date | None = None) -> tuple[dt.date, DatePrecision]:
    """A date and how much of it is known: ``"2015"`` → (01/01/2015, YEAR), ``"03/2015"`` → (01/03/2015, MONTH).

    Accepts everything :func:`parse_date` does, plus "2015", "năm 2015", "03/2015", "3-2015", "tháng 3/2015",
    "tháng 3 năm 2015", "2015-03", and whole numbers 1800–2200 (a year typed into a number cell).
    """
    if isinstance(raw, dt.datetime):
        return date_vn(raw), DatePrecision.DAY
    if isinstance(raw, dt.date):
        return raw, DatePrecision.DAY
    if raw is None:
        raise CleanError("date_empty", Message(gettext_noop("No date given")))
    if isinstance(raw, bool):
        raise CleanError("date_type", Message(gettext_noop("Invalid date (a true/false value)")))
    if isinstance(raw, numbers.Real | Decimal):
        value = float(raw)
        if value.is_integer() and int(value) in YEAR_NUMBERS:
            return dt.date(int(value), 1, 1), DatePrecision.YEAR
        return _from_excel(value, str(raw)), DatePrecision.DAY
    if isinstance(raw, str):
        return _parse_text(raw, today or today_vn())
    raise CleanError("date_type", Message(gettext_noop("Invalid date (type %(type)s)"), type=type(raw).__name__))


def parse_date(raw: object, *, today: dt.date | None = None) -> dt.date:
    """A full date, day first: 05/03/2015, 5/3/2015, 05-03-2015, 05.03.2015, 05/03/15, 2015-03-05, "ngày 5 tháng
    3 năm 2015", date/datetime objects, Excel serial numbers (1900 system). A time after the date is ignored.

    Two-digit years are 20yy unless that date is after ``today`` (default: today in Vietnam), then 19yy.
    Raises :class:`CleanError` otherwise, also for impossible dates (31/02/2020) and partial dates ("2015").
    """
    value, precision = parse_partial_date(raw, today=today)
    if precision is not DatePrecision.DAY:
        if precision is DatePrecision.MONTH:
            msgid = gettext_noop("The date %(value)s has no day: day/month/year are needed")
        else:
            msgid = gettext_noop("The date %(value)s has no day and month: day/month/year are needed")
        raise CleanError("date_incomplete", Message(msgid, value=repr(str(raw).strip()[:40])))
    return value


MIN_DATE = dt.date(1900, 1, 1)  # no date a person types into Treem is before this
MAX_DATE = dt.date(2100, 12, 31)  # nor after this (a date near year 9999 overflows time zone arithmetic)


def check_date_range(d: dt.date) -> dt.date:
    """``d`` when it lies in MIN_DATE..MAX_DATE, else CleanError "date_range" (0001 and 9999 are typing errors)."""
    if not MIN_DATE <= _as_date(d) <= MAX_DATE:
        raise CleanError(
            "date_range",
            Message(
                gettext_noop("The date must be between %(min)s and %(max)s"),
                min=format_vn(MIN_DATE), max=format_vn(MAX_DATE),
            ),
        )  # fmt: skip
    return d


def _as_date(d: dt.date) -> dt.date:
    return date_vn(d) if isinstance(d, dt.datetime) else d


def age_on(dob: dt.date, on: dt.date) -> int:
    """Age in full years on a date. Someone born 29/02 turns a year older on 01/03 in common years."""
    dob, on = _as_date(dob), _as_date(on)
    if on < dob:
        raise CleanError(
            "date_order",
            Message(
                gettext_noop("The date for the age, %(on)s, is before the date of birth %(dob)s"),
                on=format_vn(on), dob=format_vn(dob),
            ),
        )  # fmt: skip
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def years_before(day: dt.date, years: int) -> dt.date:
    """The latest date of birth of someone aged at least `years` on `day` (so `age_on(dob, day) >= years` exactly
    when `dob <= years_before(day, years)`); 29/02 falls back to 28/02 in a common year."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def format_vn(d: dt.date) -> str:
    """dd/mm/yyyy."""
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def format_partial(d: dt.date, precision: str) -> str:
    """A date shown to its precision: dd/mm/yyyy, mm/yyyy or yyyy (parses back with parse_partial_date)."""
    if precision == DatePrecision.YEAR:
        return f"{d.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{d.month:02d}/{d.year:04d}"
    return format_vn(d)
