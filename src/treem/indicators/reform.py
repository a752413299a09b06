"""Figures of the periods before the 2025 reform, re-aggregated from the former units onto the current ones.

The succession map (`units.Succession`) says which current commune(s) each former commune became. A former unit's
stored figures are carried to its successors: whole when it has one, apportioned when it was split: by each
successor's `share`, and where no share is recorded, the rest split equally among the successors without one.
Counts (and a ratio's numerator and denominator, which are counts) are apportioned as integers by the
largest-remainder method, so the parts add up to the former figure exactly; a ratio is recomputed from the summed
numerator and denominator, never averaged. The current units above the communes are sums of their sub-units, so
the current province adds up to the former figures it received.

Figures the current tree holds in its own right for the period (computed from the registry, where records sit on
current units, or entered) are kept: an indicator with such figures under the current root is not re-aggregated.
Re-aggregated values are stored with origin "reform"; the units above the current root are summed again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from math import floor
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from treem.audit.models import Action
from treem.audit.services import audit_record
from treem.core.periods import Period
from treem.units.models import Succession, Unit
from treem.units.services import REFORM_DATE

from .models import DataValue, Indicator, Origin
from .services import Tree, reroll_ancestors, summed_row, write_values


class ReformError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Split:
    """A former unit apportioned among several current units."""

    former: Unit
    shares: tuple[tuple[Unit, Fraction], ...]


@dataclass
class ReformResult:
    period: Period
    units: int = 0
    values: int = 0
    indicators: int = 0
    kept: list[str] = field(default_factory=list)  # indicators the current tree holds in its own right
    splits: list[Split] = field(default_factory=list)


def successor_shares(former_ids: Iterable[int]) -> dict[int, list[tuple[int, Fraction]]]:
    """Each former unit's successors with the part of it each received (the parts add up to 1)."""
    rows: dict[int, list[tuple[int, Fraction | None]]] = defaultdict(list)
    qs = Succession.objects.filter(former_id__in=list(former_ids)).order_by("former_id", "current__path")
    for former_id, current_id, share in qs.values_list("former_id", "current_id", "share"):
        rows[former_id].append((current_id, None if share is None else Fraction(str(share))))
    out: dict[int, list[tuple[int, Fraction]]] = {}
    for former_id, successors in rows.items():
        given = sum((s for _c, s in successors if s is not None), Fraction(0))
        missing = [c for c, s in successors if s is None]
        rest = max(Fraction(0), 1 - given) / len(missing) if missing else Fraction(0)
        parts = [(c, rest if s is None else s) for c, s in successors]
        total = sum((p for _c, p in parts), Fraction(0))
        if total == 0:  # every share 0: an equal split rather than losing the figures
            parts, total = [(c, Fraction(1)) for c, _s in successors], Fraction(len(successors))
        out[former_id] = [(c, p / total) for c, p in parts]
    return out


def apportion(amount: float, weights: list[Fraction]) -> list[float]:
    """Split `amount` by `weights` (adding up to 1). A whole number is split into whole numbers by the
    largest-remainder method (ties to the first), so the parts add up to it exactly."""
    if len(weights) == 1:
        return [amount]
    if not float(amount).is_integer():
        return [amount * float(w) for w in weights]
    n = int(amount)
    quotas = [n * w for w in weights]
    parts = [floor(q) for q in quotas]
    left = n - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-(quotas[i] - parts[i]), i))
    for i in order[:left]:
        parts[i] += 1
    return [float(p) for p in parts]


def _check_period(period: Period) -> None:
    if period.end >= REFORM_DATE:
        raise ReformError(f"{period} does not end before the reform ({REFORM_DATE:%d/%m/%Y})")


@transaction.atomic
def reaggregate(
    period: Period, former_root: Unit, current_root: Unit, *, actor: Any = None, request: HttpRequest | None = None
) -> ReformResult:
    """Carry the period's figures of the former units under `former_root` onto the current units under
    `current_root` through the succession map, and store them (origin "reform"). Audited when a user asked."""
    _check_period(period)
    result = ReformResult(period)
    successions = Succession.objects.filter(
        former__path__path_prefix=former_root.path, current__path__path_prefix=current_root.path
    )
    former_ids = set(successions.values_list("former_id", flat=True))
    shares = successor_shares(former_ids)
    tree = Tree.load([current_root])
    path_of = {pk: path for path, pk in tree.ids.items()}
    own = set(
        DataValue.objects.filter(
            period=str(period), unit__path__path_prefix=current_root.path, origin__in=[Origin.COMPUTED, Origin.ENTERED]
        ).values_list("indicator_id", flat=True)
    )
    values = DataValue.objects.filter(period=str(period), unit_id__in=former_ids).exclude(indicator_id__in=own)
    indicators = {ind.pk: ind for ind in Indicator.objects.filter(pk__in=values.values("indicator_id"))}
    result.kept = sorted(Indicator.objects.filter(pk__in=own).values_list("code", flat=True))
    # (current unit, indicator, disagg) -> [numerator, denominator]
    acc: dict[tuple[int, int, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    rows = values.values_list("indicator_id", "unit_id", "disagg", "value", "numerator", "denominator")
    for ind_id, former_id, key, value, num, den in rows:
        ind, succ = indicators[ind_id], shares[former_id]
        weights = [w for _c, w in succ]
        nums = apportion(num if num is not None else value, weights)
        dens = apportion(den or 0.0, weights) if ind.is_ratio else [0.0] * len(succ)
        for (current_id, _w), n, d in zip(succ, nums, dens, strict=True):
            if current_id in path_of:
                a = acc[(current_id, ind_id, key)]
                a[0] += n
                a[1] += d
    # the current units above the successors, up to the current root, are sums of what they received
    totals: dict[tuple[int, int, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for (current_id, ind_id, key), (n, d) in acc.items():
        for pk in tree.chain(path_of[current_id]):
            t = totals[(pk, ind_id, key)]
            t[0] += n
            t[1] += d
    stamp = timezone.now()
    out = [
        row
        for (unit_id, ind_id, key), (n, d) in totals.items()
        if (row := summed_row(indicators[ind_id], unit_id, period, key, n, d, stamp, Origin.REFORM))
    ]
    DataValue.objects.filter(
        Q(unit__path__path_prefix=current_root.path), period=str(period), origin=Origin.REFORM
    ).delete()
    DataValue.objects.filter(
        period=str(period), unit__path__path_prefix=current_root.path, indicator_id__in=list(indicators)
    ).delete()
    write_values(out)
    if indicators:
        reroll_ancestors(period, list(indicators.values()), [current_root], stamp)
    result.units = len({u for u, _i, _k in totals})
    result.values = len(out)
    result.indicators = len(indicators)
    result.splits = splits_of(former_ids, shares)
    if actor is not None:
        audit_record(
            actor=actor, action=Action.CHANGE, target_type="indicators.reform", target_id=f"{current_root.pk}/{period}",
            unit_path=current_root.path, request=request,
            summary=f"{period}: {former_root.name} -> {current_root.name}, {result.values} values",
            extra={"period": str(period), "former": former_root.code, "current": current_root.code},
        )  # fmt: skip
    return result


def splits_of(former_ids: Iterable[int], shares: dict[int, list[tuple[int, Fraction]]] | None = None) -> list[Split]:
    """The former units among `former_ids` that were split, with the part each successor received."""
    shares = successor_shares(former_ids) if shares is None else shares
    split = {f: s for f, s in shares.items() if len(s) > 1}
    units = Unit.objects.in_bulk(set(split) | {c for s in split.values() for c, _w in s})
    return [
        Split(units[f], tuple((units[c], w) for c, w in s))
        for f, s in sorted(split.items(), key=lambda item: units[item[0]].path)
    ]


def predecessors(current_root: Unit) -> list[Unit]:
    """The former units whose figures feed the current units under `current_root`, in path order."""
    return list(
        Unit.objects.filter(successors__current__path__path_prefix=current_root.path).distinct().order_by("path")
    )
