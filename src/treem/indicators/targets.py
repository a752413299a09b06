"""Targets: the national ones of QĐ 23 (no unit) and the local ones of province and commune plans, against the
figures, with a status per unit.

Which target applies to a unit in a year: the unit's own, else the nearest ancestor's, else the national one; of
that owner's targets for the indicator, the one of the year asked or, when it has none, of the next target year
(2027 is judged against 2030).

The actual figure is the unit's stored total for the year (else for its second, then its first half).

The status:
- **met**: the actual figure satisfies the target (at least, at most, above, below its value);
- else **off track** when the target year has come (the year asked is the target year or later);
- else **on track** when the actual figure is at least as good as the straight line from the baseline to the target
  in the year asked, **off track** when worse. The baseline is the target's own (`baseline_year`,
  `baseline_value`), else the unit's earliest stored yearly figure before the year asked, else this year's figure
  itself (a first figure is on the line);
- **no data** when the unit has no figure for the year.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from treem.units.models import Unit

from .models import Comparison, DataValue, Indicator, Target


class Status(models.TextChoices):
    MET = "met", _("Met")
    ON_TRACK = "on_track", _("On track")
    OFF_TRACK = "off_track", _("Off track")
    NO_DATA = "no_data", _("No data")


@dataclass(frozen=True, slots=True)
class TargetRow:
    indicator: Indicator
    target: Target
    actual: float | None
    numerator: float | None
    denominator: float | None
    expected: float | None  # on the line from the baseline to the target, in the year asked
    status: Status
    period: str = ""  # the stored period the actual is read from: the year, else its second or first half

    @property
    def owner(self) -> Unit | None:
        """Whose target it is: a unit, or None for the national target."""
        return self.target.unit


def _owners(unit: Unit) -> list[Unit]:
    """The unit and its ancestors, nearest first."""
    ancestors = {u.path: u for u in Unit.objects.filter(path__in=unit.ancestor_paths())}
    return [unit, *(ancestors[p] for p in reversed(unit.ancestor_paths()) if p in ancestors and p != unit.path)]


def applicable_targets(unit: Unit, year: int, indicators: list[Indicator] | None = None) -> dict[int, Target]:
    """For each indicator with a target: the target that applies to `unit` in `year` (see the module)."""
    owners = _owners(unit)
    rank = {u.pk: i for i, u in enumerate(owners)}
    qs = Target.objects.filter(Q(unit__in=owners) | Q(unit__isnull=True), year__gte=year).select_related(
        "indicator", "unit"
    )
    if indicators is not None:
        qs = qs.filter(indicator__in=indicators)

    def key(t: Target) -> tuple[int, int]:
        return (len(owners) if t.unit_id is None else rank[t.unit_id], t.year)

    best: dict[int, Target] = {}
    for t in qs:
        have = best.get(t.indicator_id)
        if have is None or key(t) < key(have):
            best[t.indicator_id] = t
    return best


def _totals(unit: Unit, indicators: list[Indicator]) -> dict[int, dict[str, DataValue]]:
    """The unit's stored totals of the indicators, by indicator and period, in one read."""
    out: dict[int, dict[str, DataValue]] = {}
    for v in DataValue.objects.filter(indicator__in=indicators, unit=unit, disagg=""):
        out.setdefault(v.indicator_id, {})[v.period] = v
    return out


def _actual(by_period: dict[str, DataValue], year: int) -> DataValue | None:
    return by_period.get(str(year)) or by_period.get(f"{year}S2") or by_period.get(f"{year}S1")


def _baseline(target: Target, year: int, actual: float, by_period: dict[str, DataValue]) -> tuple[int, float]:
    if target.baseline_year is not None and target.baseline_value is not None:
        return target.baseline_year, float(target.baseline_value)
    years = [(int(p), v.value) for p, v in by_period.items() if p.isdigit() and int(p) < year]  # yearly periods only
    if years:
        return min(years)
    return year, actual


def _better_or_equal(comparison: str, value: float, than: float) -> bool:
    if comparison in (Comparison.AT_LEAST, Comparison.ABOVE):
        return value >= than
    return value <= than


def status_of(
    target: Target, year: int, actual: float | None, by_period: dict[str, DataValue]
) -> tuple[Status, float | None]:
    """The status of `actual` against `target` in `year`, and the value expected on the straight line (`by_period`:
    the unit's stored totals of the indicator, for the baseline)."""
    if actual is None:
        return Status.NO_DATA, None
    if target.is_met_by(Decimal(str(actual))):
        return Status.MET, None
    if year >= target.year:
        return Status.OFF_TRACK, float(target.value)
    base_year, base_value = _baseline(target, year, actual, by_period)
    if base_year >= target.year:
        return Status.OFF_TRACK, float(target.value)
    expected = base_value + (float(target.value) - base_value) * (year - base_year) / (target.year - base_year)
    if _better_or_equal(target.comparison, actual, expected):
        return Status.ON_TRACK, expected
    return Status.OFF_TRACK, expected


def targets_for(unit: Unit, year: int) -> list[TargetRow]:
    """Every active indicator with a target that applies to `unit` in `year`: actual, target and status."""
    indicators = list(Indicator.objects.filter(is_active=True).select_related("group"))
    targets = applicable_targets(unit, year, indicators)
    totals = _totals(unit, [ind for ind in indicators if ind.pk in targets])
    rows = []
    for ind in indicators:
        target = targets.get(ind.pk)
        if target is None:
            continue
        by_period = totals.get(ind.pk, {})
        dv = _actual(by_period, year)
        actual = dv.value if dv else None
        status, expected = status_of(target, year, actual, by_period)
        rows.append(
            TargetRow(
                ind,
                target,
                actual,
                dv.numerator if dv else None,
                dv.denominator if dv else None,
                expected,
                status,
                dv.period if dv else "",
            )
        )
    return rows


def status_counts(rows: list[TargetRow]) -> dict[str, int]:
    counts = dict.fromkeys(Status.values, 0)
    for row in rows:
        counts[row.status] += 1
    return counts
