"""Demo figures: the indicators computed for the last periods in the demo provinces, figures other agencies hold
entered for Khun Há, and the local targets of the seeds' plans, so every indicator page opens with data."""

from __future__ import annotations

from dataclasses import dataclass

from treem.accounts.models import User
from treem.core.dates import today_vn
from treem.core.periods import Period, PeriodKind
from treem.indicators.definitions import load_local_targets
from treem.indicators.entry import Cell, figures_enter
from treem.indicators.services import compute
from treem.units.models import Unit


@dataclass(frozen=True, slots=True)
class IndicatorStats:
    periods: list[str]
    values: int
    entered: int
    local_targets: int


def demo_periods(count_halves: int = 3) -> list[Period]:
    """The last finished year and half years before today, and the year before (the reform page opens on a year
    before 1 July 2025)."""
    today = today_vn()
    half = Period.containing(today, PeriodKind.HALF).previous()
    halves = [half]
    for _ in range(count_halves - 1):
        halves.append(halves[-1].previous())
    year = Period.containing(today, PeriodKind.YEAR).previous()
    return [year, *halves, year.previous()]


# What Khun Há's partners reported (synthetic): the health station, the police, the commune's own follow-up.
ENTERED: dict[str, dict[str, Cell]] = {
    "immunised_under1": {"": Cell(numerator=11, denominator=12)},
}


def seed_indicators(*, provinces: list[Unit], commune: Unit, officer: User) -> IndicatorStats:
    """Compute every period for the demo provinces (the nation is summed from them); enter the year's figures."""
    local = load_local_targets()
    periods = demo_periods()
    values = 0
    for period in periods:
        for province in provinces:
            values += compute(period, [province]).values
    year = periods[0]
    # children in special circumstances assisted: computed from the support deliveries (`demo.support`); injuries
    # and deaths of children from the incidents of the registry (`demo.incidents`)
    entered = figures_enter(actor=officer, unit=commune, period=year, figures=ENTERED)
    return IndicatorStats([str(p) for p in periods], values, entered, local)
