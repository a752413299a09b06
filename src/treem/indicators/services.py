"""Computing indicators into data values: for a period, under one or more units, with every disaggregation.

One run asks each named computation once per *base* breakdown (a GROUP BY at the leaf places: villages, or communes
for records without a village), derives the coarser breakdowns by summing over partition dimensions (sex, age
group: each child is in one option), rolls the leaf counts up the unit tree, and writes every indicator's values
for every unit of the subtrees in one transaction. Ratios keep their numerator and denominator, so a parent's ratio
is recomputed from summed parts, never averaged. Units above the computed subtrees are summed again from their
children's stored values, so a change in one commune recomputes that commune and its ancestors, not the nation.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from treem.core.bulk import insert_rows
from treem.core.periods import Period
from treem.units.models import LEVEL_DEPTH, PATH_SEP, Level, Unit

from .computations import COMPUTATIONS, SPECIAL, AgeBand, Computation, Counts, Scope
from .models import ComputeRun, DataValue, Dimension, DimensionOption, Indicator, Origin, Source

AREA = "area"  # urban/rural: a property of the place, added by the engine
URBAN_TYPES = ("phường", "thị trấn")
MAX_ROOTS = 60  # more dirty communes than this: recompute their provinces instead

type Subset = tuple[str, ...]  # dimension codes, sorted
type Values = tuple[str, ...]  # one option per dimension of the subset


def disagg_key(dims: Subset, values: Values) -> str:
    """The canonical key of a breakdown: `age_group=0-5;sex=F`; empty for the total."""
    return ";".join(f"{d}={v}" for d, v in zip(dims, values, strict=True))


def key_of(choice: Mapping[str, str]) -> str:
    """The canonical key of a breakdown given as {dimension: option} (dimension codes sorted)."""
    return ";".join(f"{d}={o}" for d, o in sorted(choice.items()))


def parse_disagg(key: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in key.split(";")) if key else {}


def indicator_subsets(indicator: Indicator) -> set[Subset]:
    """The total and every sub-crossing of each crossing the indicator is broken down by."""
    out: set[Subset] = {()}
    for crossing in indicator.disaggregations:
        dims = sorted(set(crossing))
        for size in range(1, len(dims) + 1):
            out.update(combinations(dims, size))
    return out


# --- the unit tree --------------------------------------------------------------------------------------------


@dataclass
class Tree:
    """The units of the computed subtrees: id by path, and each place's urban/rural area."""

    roots: tuple[Unit, ...]
    ids: dict[str, int]
    area: dict[str, str]
    depth: dict[int, int] = field(default_factory=dict)
    chains: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def load(cls, roots: Sequence[Unit]) -> Tree:
        ids: dict[str, int] = {}
        rows: list[tuple[int, str, str, str]] = []
        for root in roots:
            rows += list(Unit.objects.subtree(root).values_list("pk", "path", "level", "unit_type"))
        depth: dict[int, int] = {}
        for pk, path, level, _type in rows:
            ids[path] = pk
            depth[pk] = LEVEL_DEPTH[Level(level)]
        area: dict[str, str] = {}
        communes = {path: unit_type for _pk, path, level, unit_type in rows if level == Level.COMMUNE}
        for path, unit_type in communes.items():
            area[path] = "urban" if unit_type.strip().lower() in URBAN_TYPES else "rural"
        for _pk, path, level, _type in rows:
            if level == Level.VILLAGE:
                area[path] = area.get(parent_path(path) or "", "")
        return cls(tuple(roots), ids, area, depth)

    def units(self, *, down_to: str, subset: Subset = ()) -> list[int]:
        """The units a breakdown is stored for: none below the level the records sit at, and the urban/rural
        breakdown down to the commune only (a commune is one or the other; its villages repeat it)."""
        deepest = LEVEL_DEPTH[Level(down_to)]
        if AREA in subset:
            deepest = min(deepest, LEVEL_DEPTH[Level.COMMUNE])
        return [pk for pk in self.ids.values() if self.depth[pk] <= deepest]

    def chain(self, leaf: str) -> list[int]:
        """The ids of the known units from a leaf place up to its root (a leaf not known counts in its nearest
        known ancestor)."""
        cached = self.chains.get(leaf)
        if cached is not None:
            return cached
        out: list[int] = []
        path: str | None = leaf
        while path is not None:
            pk = self.ids.get(path)
            if pk is not None:
                out.append(pk)
            if any(path == root.path for root in self.roots):
                break
            path = parent_path(path)
        self.chains[leaf] = out
        return out


def parent_path(path: str) -> str | None:
    parts = path.rstrip(PATH_SEP).split(PATH_SEP)
    return PATH_SEP.join(parts[:-1]) + PATH_SEP if len(parts) > 1 else None


# --- counting -------------------------------------------------------------------------------------------------


def _bases(subsets: set[Subset], partition: dict[str, bool]) -> dict[Subset, Subset]:
    """Each subset's base: the breakdown it is summed from. Subsets with the same non-partition dimensions share one
    base that adds every partition dimension any of them uses."""
    groups: dict[Subset, set[str]] = defaultdict(set)
    for s in subsets:
        groups[tuple(d for d in s if not partition.get(d, True))].update(d for d in s if partition.get(d, True))
    return {s: tuple(sorted({*groups[tuple(d for d in s if not partition.get(d, True))], *s})) for s in subsets}


def _leaf_counts(comp: Computation, scope: Scope, base: Subset, tree: Tree) -> Counts:
    inner = tuple(d for d in base if d != AREA)
    unknown = set(inner) - comp.dims
    if unknown:
        raise ValueError(f"{comp.name} cannot be broken down by {', '.join(sorted(unknown))}")
    raw = comp.count(scope, inner)
    if AREA not in base:
        return raw
    at = base.index(AREA)
    out: Counts = Counter()
    for (path, values), n in raw.items():
        area = tree.area.get(path, "") or "unknown"
        out[(path, (*values[:at], area, *values[at:]))] += n
    return out


def _project(counts: Counts, base: Subset, subset: Subset) -> Counts:
    if base == subset:
        return counts
    keep = [base.index(d) for d in subset]
    out: Counts = Counter()
    for (path, values), n in counts.items():
        out[(path, tuple(values[i] for i in keep))] += n
    return out


def _roll_up(counts: Counts, tree: Tree) -> dict[int, Counter[Values]]:
    out: dict[int, Counter[Values]] = defaultdict(Counter)
    for (path, values), n in counts.items():
        for pk in tree.chain(path):
            out[pk][values] += n
    return out


@dataclass
class RunResult:
    period: Period
    units: int
    values: int
    seconds: float
    indicators: int
    counting_seconds: float = 0.0  # of `seconds`, before anything is stored


def age_bands() -> tuple[AgeBand, ...]:
    return tuple(
        AgeBand(o.code, o.min_age, o.max_age)
        for o in DimensionOption.objects.filter(
            dimension__code="age_group", min_age__isnull=False, max_age__isnull=False
        )
        if o.min_age is not None and o.max_age is not None
    )


def run_flag(comp: Computation) -> str:
    """The flag of the shared pass a registry computation reads ("" for none, or not a registry computation)."""
    return SPECIAL if getattr(comp, "special", False) else str(getattr(comp, "flag", ""))


def computed_indicators(codes: Iterable[str] | None = None) -> list[Indicator]:
    qs = Indicator.objects.filter(is_active=True, source=Source.COMPUTED)
    if codes:
        qs = qs.filter(code__in=list(codes))
    return list(qs)


def compute(
    period: Period, roots: Sequence[Unit], *, indicators: list[Indicator] | None = None, incremental: bool = False
) -> RunResult:
    """Compute the indicators (default: every active computed one) for every unit under `roots` and store them;
    the units above the roots are summed again from their children."""
    started, clock = timezone.now(), time.perf_counter()
    indicators = computed_indicators() if indicators is None else indicators
    partition = dict(Dimension.objects.values_list("code", "partition"))
    tree = Tree.load(roots)
    wanted: dict[str, set[Subset]] = defaultdict(set)
    for ind in indicators:
        comp = COMPUTATIONS[ind.numerator]
        for s in indicator_subsets(ind):
            wanted[comp.name].add(s)
            if ind.is_ratio:
                den = COMPUTATIONS[ind.denominator]
                wanted[den.name].add(_den_subset(s, den))
    flags = frozenset(flag for name in wanted if (flag := run_flag(COMPUTATIONS[name])))
    scope = Scope(period, tuple(r.path for r in roots), age_bands(), flags)
    totals: dict[tuple[str, Subset], dict[int, Counter[Values]]] = {}
    for name, subsets in wanted.items():
        comp = COMPUTATIONS[name]
        cache: dict[Subset, Counts] = {}
        for s, base in _bases(subsets, partition).items():
            if base not in cache:
                cache[base] = _leaf_counts(comp, scope, base, tree)
            totals[(name, s)] = _roll_up(_project(cache[base], base, s), tree)
    stamp = started
    rows = [row for ind in indicators for row in _indicator_rows(ind, period, tree, totals, stamp)]
    counted = time.perf_counter() - clock
    with transaction.atomic():
        ids = [ind.pk for ind in indicators]
        delete_values(period, ids, tree.ids.values())
        write_values(rows)
        written = len(rows) + reroll_ancestors(period, indicators, roots, stamp)
        seconds = time.perf_counter() - clock
        ComputeRun.objects.create(
            period=str(period), unit=roots[0], started_at=started, seconds=seconds, units=len(tree.ids),
            values=written, incremental=incremental,
        )  # fmt: skip
    return RunResult(period, len(tree.ids), written, seconds, len(indicators), counted)


def _den_subset(subset: Subset, den: Computation) -> Subset:
    return tuple(d for d in subset if d in den.dims or d == AREA)


def _indicator_rows(
    ind: Indicator, period: Period, tree: Tree, totals: dict[tuple[str, Subset], dict[int, Counter[Values]]],
    stamp: dt.datetime,
) -> Iterable[Row]:  # fmt: skip
    num_comp = COMPUTATIONS[ind.numerator]
    den_comp = COMPUTATIONS[ind.denominator] if ind.is_ratio else None
    levels = [num_comp.leaf_level] + ([den_comp.leaf_level] if den_comp else [])
    down_to = min(levels, key=lambda lv: LEVEL_DEPTH[Level(lv)])
    for s in sorted(indicator_subsets(ind)):
        num = totals[(ind.numerator, s)]
        units = tree.units(down_to=down_to, subset=s)
        if den_comp is None:
            for pk in units:
                counts = num.get(pk, Counter())
                if not s and not counts:
                    counts = Counter({(): 0})
                for values, n in counts.items():
                    yield value_row(ind, pk, period, disagg_key(s, values), float(n), float(n), None, stamp)
            continue
        ds = _den_subset(s, den_comp)
        den = totals[(den_comp.name, ds)]
        keep = [s.index(d) for d in ds]
        for pk in units:
            counts, dcounts = num.get(pk, Counter()), den.get(pk, Counter())
            keys = set(counts) | (set(dcounts) if ds == s else set())
            for values in keys:
                d = dcounts.get(tuple(values[i] for i in keep), 0)
                if row := summed_row(ind, pk, period, disagg_key(s, values), counts.get(values, 0), d, stamp):
                    yield row


type Row = tuple[int, int, str, str, float, float | None, float | None, str, dt.datetime]
ROW_FIELDS = (
    "indicator_id",
    "unit_id",
    "period",
    "disagg",
    "value",
    "numerator",
    "denominator",
    "origin",
    "computed_at",
)


def value_row(
    ind: Indicator, unit_id: int, period: Period, key: str, value: float, num: float | None, den: float | None,
    stamp: dt.datetime, origin: str = Origin.COMPUTED,
) -> Row:  # fmt: skip
    return (ind.pk, unit_id, str(period), key, value, num, den, origin, stamp)


def summed_row(
    ind: Indicator, unit_id: int, period: Period, key: str, num: float, den: float, stamp: dt.datetime,
    origin: str = Origin.COMPUTED,
) -> Row | None:  # fmt: skip
    """A figure from summed parts: a count is its sum; a ratio is recomputed from its summed numerator and
    denominator, never averaged (no figure without a denominator)."""
    if not ind.is_ratio:
        return value_row(ind, unit_id, period, key, num, num, None, stamp, origin)
    if not den:
        return None
    return value_row(ind, unit_id, period, key, num / den * ind.multiplier, num, den, stamp, origin)


def write_values(rows: list[Row]) -> None:
    """Insert value rows (the one timestamp of a run prepared once, not per row)."""
    prep = DataValue._meta.get_field("computed_at").get_db_prep_value
    stamps: dict[dt.datetime, Any] = {}
    prepared: list[tuple[Any, ...]] = []
    for r in rows:
        stamp = stamps.get(r[8])
        if stamp is None:
            stamp = stamps[r[8]] = prep(r[8], connection)
        prepared.append((*r[:8], stamp))
    insert_rows(DataValue, ROW_FIELDS, prepared)


def delete_values(period: Period, indicator_ids: list[int], unit_ids: Iterable[int]) -> None:
    units = list(unit_ids)
    for start in range(0, len(units), 500):
        DataValue.objects.filter(
            period=str(period), indicator_id__in=indicator_ids, unit_id__in=units[start : start + 500]
        )._raw_delete(DataValue.objects.db)


def reroll_ancestors(
    period: Period, indicators: list[Indicator], roots: Sequence[Unit], stamp: dt.datetime, *,
    include_roots: bool = False,
) -> int:  # fmt: skip
    """Sum the units above the roots (and the roots themselves with `include_roots`) again from their children's
    stored values, deepest first. An indicator a unit entered itself keeps its entered figures there: never a sum."""
    every = {ind.pk: ind for ind in indicators}
    computed = set() if include_roots else {r.pk for r in roots}
    paths = _with_ancestors({parent_path(r.path) or r.path for r in roots}) - {r.path for r in roots}
    if include_roots:
        paths |= {r.path for r in roots}
    written = 0
    for unit in sorted(Unit.objects.filter(path__in=paths), key=lambda u: -len(u.path)):
        if unit.pk in computed:
            continue
        entered = DataValue.objects.filter(
            period=str(period), indicator_id__in=list(every), unit=unit, origin=Origin.ENTERED
        )
        own = set(entered.values_list("indicator_id", flat=True))
        ids = {pk: ind for pk, ind in every.items() if pk not in own}
        sums: dict[tuple[int, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
        children = DataValue.objects.filter(period=str(period), indicator_id__in=list(ids), unit__parent=unit)
        for ind_id, key, num, den in children.values_list("indicator_id", "disagg", "numerator", "denominator"):
            acc = sums[(ind_id, key)]
            acc[0] += num or 0.0
            acc[1] += den or 0.0
        rows = []
        for (ind_id, key), (num, den) in sums.items():
            if row := summed_row(ids[ind_id], unit.pk, period, key, num, den, stamp, Origin.ROLLED_UP):
                rows.append(row)
        for ind in ids.values():  # a total of 0 is a figure, not a gap
            if not ind.is_ratio and (ind.pk, "") not in sums:
                rows.append(value_row(ind, unit.pk, period, "", 0.0, 0.0, None, stamp, Origin.ROLLED_UP))
        delete_values(period, list(ids), [unit.pk])
        write_values(rows)
        written += len(rows)
    return written


# --- incremental ----------------------------------------------------------------------------------------------


def last_run(period: Period) -> ComputeRun | None:
    return ComputeRun.objects.filter(period=str(period)).order_by("-started_at").first()


def changed_communes(period: Period, since: dt.datetime, indicators: list[Indicator]) -> list[Unit]:
    """The communes where data any of the indicators reads changed after `since`."""
    names = {ind.numerator for ind in indicators} | {ind.denominator for ind in indicators if ind.denominator}
    paths: set[str] = set()
    feeds = {type(COMPUTATIONS[n]) for n in names}  # one feed per kind of computation is enough
    for kind in feeds:
        comp = next(COMPUTATIONS[n] for n in names if type(COMPUTATIONS[n]) is kind)
        paths |= comp.changed_paths(since)
    communes: dict[str, Unit] = {}
    for unit in Unit.objects.filter(path__in=_with_ancestors(paths), level=Level.COMMUNE):
        communes[unit.path] = unit
    return sorted(communes.values(), key=lambda u: u.path)


def _with_ancestors(paths: set[str]) -> set[str]:
    out: set[str] = set()
    for path in paths:
        p: str | None = path
        while p is not None and p not in out:
            out.add(p)
            p = parent_path(p)
    return out


def refresh(period: Period, *, within: Unit | None = None) -> RunResult | None:
    """Recompute only the communes whose data changed since the period's last run (all of `within`, or the nation,
    when it never ran). Returns None when nothing changed."""
    indicators = computed_indicators()
    run = last_run(period)
    if run is None:
        root = within or Unit.objects.current().get(level=Level.NATION)
        return compute(period, [root], indicators=indicators)
    communes = changed_communes(period, run.started_at, indicators)
    if within is not None:
        communes = [c for c in communes if c.is_within(within)]
    if not communes:
        return None
    if len(communes) > MAX_ROOTS:
        provinces = {PATH_SEP.join(c.path.split(PATH_SEP)[:2]) + PATH_SEP for c in communes}
        roots = list(Unit.objects.filter(path__in=provinces))
    else:
        roots = communes
    return compute(period, roots, indicators=indicators, incremental=True)
