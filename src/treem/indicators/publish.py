"""Reading stored values for a subtree, and suppressing them for publication.

`values_for` gives the stored values of a period under a unit (every unit of the subtree, or one level of it).
`hidden_cells` works out which of them a reader without the right to exact small figures must not see: the
relations of the table (a unit's total and its breakdown by each partition dimension; a parent unit and its
sub-units, with the records kept at the parent itself as one more part) go to `suppression.suppress`. For a ratio
the numerator is suppressed the same way, and the ratio is hidden with it or when its denominator is small.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import cast

from django.core.cache import cache
from django.db.models import Max, Q

from treem.units.models import Unit

from .computations import COMPUTATIONS
from .models import DataValue, Dimension, Indicator
from .services import key_of, parse_disagg
from .suppression import Hidden, Relation, is_small, suppress

type CellKey = tuple[int, int, str]  # indicator id, unit id, disagg


@dataclass(frozen=True, slots=True)
class Value:
    indicator_id: int
    unit_id: int
    parent_id: int | None
    disagg: str
    value: float
    numerator: float | None
    denominator: float | None

    @property
    def key(self) -> CellKey:
        return (self.indicator_id, self.unit_id, self.disagg)


def values_for(
    period: str, root: Unit, *, indicators: Iterable[Indicator] | None = None, depth: int | None = None
) -> list[Value]:
    """Stored values of the period for `root` and the units below it (`depth` levels below at most)."""
    qs = DataValue.objects.filter(period=period).filter(Q(unit=root) | Q(unit__path__path_prefix=root.path))
    if indicators is not None:
        qs = qs.filter(indicator__in=list(indicators))
    if depth is not None:
        units = _units_within(root, depth)
        qs = qs.filter(unit_id__in=units)
    rows = qs.values_list("indicator_id", "unit_id", "unit__parent_id", "disagg", "value", "numerator", "denominator")
    return [Value(*row) for row in rows]


def _units_within(root: Unit, depth: int) -> list[int]:
    ids, frontier = [root.pk], [root.pk]
    for _level in range(depth):
        frontier = list(Unit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids += frontier
    return ids


def relations(values: Iterable[Value], partition: dict[str, bool]) -> tuple[dict[Hashable, float], list[Relation]]:
    """The cells (numerators) and the additive relations among them."""
    values = list(values)
    cells: dict[Hashable, float] = {v.key: (v.numerator if v.numerator is not None else v.value) for v in values}
    rels: list[Relation] = []
    # within a unit: a breakdown by one partition dimension adds up to the breakdown without it
    siblings: dict[tuple[int, int, str, str], list[CellKey]] = defaultdict(list)
    for v in values:
        dims = parse_disagg(v.disagg)
        for d in dims:
            if partition.get(d, False):
                rest = key_of({k: o for k, o in dims.items() if k != d})
                siblings[(v.indicator_id, v.unit_id, d, rest)].append(v.key)
    for (ind, unit, _d, rest), parts in siblings.items():
        total = (ind, unit, rest)
        rels.append(Relation(total, tuple(parts)))
        cells.setdefault(total, 0)
    # across units: a parent is the sum of its sub-units and of the records kept at the parent itself
    children: dict[tuple[int, int, str], list[CellKey]] = defaultdict(list)
    for v in values:
        if v.parent_id is not None:
            children[(v.indicator_id, v.parent_id, v.disagg)].append(v.key)
    for parent_key, parts in children.items():
        if parent_key not in cells:
            continue
        own = ("own", *parent_key)
        cells[own] = cells[parent_key] - sum(cells[p] for p in parts)
        rels.append(Relation(parent_key, (*parts, own)))
    return cells, rels


def hidden_cells(values: list[Value], indicators: dict[int, Indicator]) -> dict[CellKey, Hidden]:
    """The cells a reader without the right to exact small figures must not see.

    A ratio is hidden with its numerator (suppressed like a count: its parts add up like counts), when its
    denominator is small, and when the count its numerator or denominator stands for is hidden in that count's own
    table (e.g. a share of girls whose denominator, the girls, is hidden beside a small number of boys): the tables
    are linked, so a ratio cannot give a hidden count back."""
    partition = dict(Dimension.objects.values_list("code", "partition"))
    cells, rels = relations(values, partition)
    hidden = suppress(cells, rels)
    counts_of = _count_indicators(indicators.values())
    out: dict[CellKey, Hidden] = {}
    for v in values:
        state = hidden.get(v.key)
        ind = indicators[v.indicator_id]
        if state is None and ind.is_ratio:
            if is_small(v.denominator):
                state = Hidden.PRIMARY
            elif _linked_hidden(ind, v, counts_of, hidden):
                state = Hidden.COMPLEMENTARY
        if state is not None:
            out[v.key] = state
    return out


def _count_indicators(indicators: Iterable[Indicator]) -> dict[str, int]:
    """Computation name → the count indicator that publishes it."""
    return {i.numerator: i.pk for i in indicators if not i.is_ratio and i.numerator}


def _linked_hidden(ind: Indicator, v: Value, counts_of: dict[str, int], hidden: dict[Hashable, Hidden]) -> bool:
    for name in (ind.numerator, ind.denominator):
        count = counts_of.get(name)
        if count is None:
            continue
        comp = COMPUTATIONS.get(name)
        dims = parse_disagg(v.disagg)
        own = {d: o for d, o in dims.items() if comp is None or d in comp.dims or d == "area"}
        if (count, v.unit_id, key_of(own)) in hidden:
            return True
    return False


def linked(indicators: Iterable[Indicator]) -> list[Indicator]:
    """The indicators and the count indicators their ratios' numerators and denominators are published by."""
    indicators = list(indicators)
    names = {n for i in indicators if i.is_ratio for n in (i.numerator, i.denominator) if n}
    extra = Indicator.objects.filter(numerator__in=names, is_active=True).exclude(pk__in=[i.pk for i in indicators])
    return indicators + [i for i in extra if not i.is_ratio]


def hidden_for(period: str, root: Unit, indicators: Iterable[Indicator]) -> dict[CellKey, Hidden]:
    """One suppression pattern over the reader's whole scope (`root` and every unit below it) for these indicators
    and the counts their ratios link to, so that no two pages or files of the same reader (a province page and a
    commune page, a table and a ratio) can be put together to give a hidden cell back. Cached until the figures
    change (the newest computation or entry of the period)."""
    inds = linked(indicators)
    ids = sorted(i.pk for i in inds)
    stamp = DataValue.objects.filter(period=period, indicator_id__in=ids).aggregate(m=Max("computed_at"))["m"]
    key = f"treem:suppression:{period}:{root.pk}:{','.join(map(str, ids))}:{stamp.isoformat() if stamp else ''}"
    found = cache.get(key)
    if found is None:
        found = hidden_cells(values_for(period, root, indicators=inds), {i.pk: i for i in inds})
        cache.set(key, found, 3600)
    return cast("dict[CellKey, Hidden]", found)


def shown(value: float, state: Hidden | None) -> str:
    """How a published cell reads: "<5" for a small figure, "x" for one hidden beside it."""
    if state == Hidden.PRIMARY:
        return "<5"
    if state == Hidden.COMPLEMENTARY:
        return "x"
    return format_value(value)


def format_value(value: float) -> str:
    """A count as an integer; a ratio with at most two decimals (machine-readable: a point, no grouping)."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")
