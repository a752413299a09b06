"""Reporting periods, written as the design fixes them: `2024` (year), `2024S1`/`2024S2` (half years),
`2024Q3` (quarter), `2024-05` (month). A period knows its first and last day and its kind."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from .errors import gettext_noop


class PeriodKind(StrEnum):
    YEAR = "year"
    HALF = "half"
    QUARTER = "quarter"
    MONTH = "month"


_PATTERN = re.compile(r"^(\d{4})(?:(S)([12])|(Q)([1-4])|-(\d{2}))?$")
_MONTHS = {PeriodKind.YEAR: 12, PeriodKind.HALF: 6, PeriodKind.QUARTER: 3, PeriodKind.MONTH: 1}
PERIOD_HELP = gettext_noop("A period is written 2025, 2025S1, 2025S2, 2025Q3 or 2025-05.")


class PeriodError(ValueError):
    pass


@dataclass(frozen=True, slots=True, order=True)
class Period:
    start: dt.date
    end: dt.date
    kind: PeriodKind

    @classmethod
    def parse(cls, text: str) -> Period:
        """`2025`, `2025S1`, `2025Q3`, `2025-05` (case and surrounding space ignored); PeriodError otherwise."""
        m = _PATTERN.match(text.strip().upper())
        if not m:
            raise PeriodError(f"not a period: {text!r} (2025, 2025S1, 2025S2, 2025Q3 or 2025-05)")
        year = int(m.group(1))
        if not 1900 <= year <= 2100:
            raise PeriodError(f"year out of range: {year}")
        if m.group(2):
            half = int(m.group(3))
            return cls.of(PeriodKind.HALF, year, half)
        if m.group(4):
            return cls.of(PeriodKind.QUARTER, year, int(m.group(5)))
        if m.group(6):
            month = int(m.group(6))
            if not 1 <= month <= 12:
                raise PeriodError(f"not a month: {text!r}")
            return cls.of(PeriodKind.MONTH, year, month)
        return cls.of(PeriodKind.YEAR, year)

    @classmethod
    def of(cls, kind: PeriodKind, year: int, number: int = 1) -> Period:
        months = _MONTHS[kind]
        first = (number - 1) * months + 1
        last = first + months - 1
        return cls(dt.date(year, first, 1), dt.date(year, last, calendar.monthrange(year, last)[1]), kind)

    @classmethod
    def containing(cls, day: dt.date, kind: PeriodKind) -> Period:
        months = _MONTHS[kind]
        return cls.of(kind, day.year, (day.month - 1) // months + 1)

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def number(self) -> int:
        months = _MONTHS[self.kind]
        return (self.start.month - 1) // months + 1

    def __str__(self) -> str:
        match self.kind:
            case PeriodKind.YEAR:
                return f"{self.year}"
            case PeriodKind.HALF:
                return f"{self.year}S{self.number}"
            case PeriodKind.QUARTER:
                return f"{self.year}Q{self.number}"
            case _:
                return f"{self.year}-{self.start.month:02d}"

    def previous(self) -> Period:
        return Period.containing(self.start - dt.timedelta(days=1), self.kind)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @property
    def dhis2(self) -> str:
        """The period as DHIS2 and ADX write it (ISO 8601 for ADX: see `iso`)."""
        match self.kind:
            case PeriodKind.MONTH:
                return f"{self.year}{self.start.month:02d}"
            case _:
                return str(self)

    @property
    def iso(self) -> str:
        """ADX's period: the first day and an ISO 8601 duration, e.g. 2025-01-01/P6M."""
        months = {PeriodKind.YEAR: "P1Y", PeriodKind.HALF: "P6M", PeriodKind.QUARTER: "P3M", PeriodKind.MONTH: "P1M"}
        return f"{self.start.isoformat()}/{months[self.kind]}"
