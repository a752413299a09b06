"""The named computations an indicator's numerator and denominator refer to.

A computation counts, for a period and a set of unit subtrees, how many children (or plans…) each leaf place holds,
broken down by the dimensions asked for: {(leaf unit path, (option of each dimension…)): count}. It knows which
dimensions it can break down by. Leaf places are the paths records store (a village, or a commune); the engine rolls
them up the unit tree. "area" (urban/rural) is a property of the place, so the engine adds it, not the computation.

Registry computations count a child where they lived on the period's last day, with the age they had that day
(completed years) and the groups they were in that day: one GROUP BY over residences. Case computations count cases
received in the period, where the case is handled. Injuries and deaths of children count each child where they lived
on the day of the injury or death (a child who moved counts where they were then), by kind in the `group` dimension.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

from django.db.models import Case, Count, F, Q, QuerySet, Value, When

from treem.cases.selectors import AbuseRow, abuse_rows, case_changed_paths, outcome_rows, plan_approval_rows
from treem.core.dates import years_before
from treem.core.ethnicity import ETHNIC_GROUPS
from treem.core.periods import Period
from treem.registry.models import (
    CHILD_AGE_LIMIT,
    Circumstance,
    CircumstanceKind,
    CircumstanceType,
    IncidentKind,
    Nutrition,
    Residence,
    SchoolStatus,
)
from treem.registry.selectors import (
    DEATH_CAUSE_OPTION,
    EventRow,
    death_rows,
    incident_changed_paths,
    incident_rows,
    registry_changed_child_ids,
)
from treem.support.disaster_selectors import affected_changed_paths, affected_child_rows
from treem.support.selectors import delivery_changed_paths, special_assisted_rows
from treem.units.models import Level, Structure, Unit

ETHNIC_CODE = {name: code for code, name in ETHNIC_GROUPS}
UNKNOWN = "unknown"  # the option of a record whose value is not known (so a partition still adds up)
type Counts = Counter[tuple[str, tuple[str, ...]]]  # (leaf unit path, options in the order of the dims) -> count


# What a population can be narrowed to, beside its age range: a flag on the child, counted in the same pass.
FLAGS: dict[str, Q] = {
    "birth_registered": Q(child__birth_registered=True),
    "insured": ~Q(child__health_insurance_number=""),
    "preschool": Q(child__school_status=SchoolStatus.PRESCHOOL),
    "dropped_out": Q(child__school_status=SchoolStatus.DROPPED_OUT),
    "weighed": ~Q(child__nutrition=Nutrition.UNKNOWN),
    "underweight": Q(child__nutrition=Nutrition.UNDERWEIGHT),
    "stunted": Q(child__nutrition=Nutrition.STUNTED),
    "disability": ~Q(child__disability=""),
}
SPECIAL = "special"  # in at least one special-circumstance group that day: counted in the same pass too
FLAGS_ALL = (*FLAGS, SPECIAL)


def flag_columns(flags: frozenset[str]) -> list[str]:
    """The flags a pass counts, in the order of its count columns (after the total)."""
    return [f for f in FLAGS_ALL if f in flags]


@dataclass(frozen=True, slots=True)
class AgeBand:
    code: str
    min_age: int
    max_age: int


@dataclass(frozen=True, slots=True)
class Scope:
    """What to count: the period, the unit subtrees (their paths), and the age bands of the `age_group` dimension."""

    period: Period
    roots: tuple[str, ...]
    age_bands: tuple[AgeBand, ...] = ()
    flags: frozenset[str] = frozenset(FLAGS_ALL)  # the flags the run's populations use: the pass counts only these
    cache: dict[object, object] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def day(self) -> dt.date:
        return self.period.end

    def where(self, path_field: str) -> Q:
        q = Q()
        for root in self.roots:
            q |= Q(**{f"{path_field}__path_prefix": root})
        return q

    def communes(self) -> QuerySet[Unit]:
        """The communes a share of communes is of: the active ones of the current structure, every one of the former
        structure. A computation counting communes of some kind (an app's, through this scope) counts only these, so
        its share never exceeds 100 %."""
        return Unit.objects.filter(self.where("path"), level=Level.COMMUNE).filter(
            Q(is_active=True) | Q(structure=Structure.FORMER)
        )


class Computation(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def dims(self) -> frozenset[str]: ...

    @property
    def leaf_level(self) -> str: ...  # the lowest level its records sit at: nothing is stored for units below it

    def count(self, scope: Scope, dims: tuple[str, ...]) -> Counts: ...

    def changed_paths(self, since: dt.datetime) -> set[str]: ...


# --- the registry: children where they lived on the day -------------------------------------------------------

type ScanRow = tuple[str, str, int, str, tuple[int, ...]]  # place, sex, age in years, ethnicity code, counts


def _age_years(day: dt.date, lo: int = 0, hi: int = CHILD_AGE_LIMIT - 1) -> Case | Value:
    """The child's age in completed years on the day, `lo`–`hi`, from the date of birth alone: a balanced tree of
    date comparisons (four per row for 0–15), the same SQL on both databases."""
    if lo == hi:
        return Value(lo)
    mid = (lo + hi + 1) // 2  # aged at least `mid` exactly when born on or before years_before(day, mid)
    return Case(
        When(child__date_of_birth__lte=years_before(day, mid), then=_age_years(day, mid, hi)),
        default=_age_years(day, lo, mid - 1),
    )


def residences_on(scope: Scope) -> QuerySet[Residence]:
    """Children under 16 living below the scope's units on the day (merged records left out)."""
    day = scope.day
    return (
        Residence.objects.on(day)
        .filter(scope.where("unit_path"))
        .filter(
            child__merged_into__isnull=True,
            child__date_of_birth__lte=day,
            child__date_of_birth__gt=years_before(day, CHILD_AGE_LIMIT),
        )
    )


def _scan(scope: Scope, *, groups: bool = False) -> list[ScanRow]:
    """One GROUP BY over the residences on the day: place × sex × age × ethnicity, with a count per flag the run uses
    (special circumstances included) in the same pass; or, with `groups`, over the special-circumstance intervals of
    the day (× group). Cached on the scope: every registry computation of a run reads the same rows."""
    flags = flag_columns(scope.flags) if not groups else []
    key = ("scan", groups)
    cached = scope.cache.get(key)
    if cached is not None:
        return cast("list[ScanRow]", cached)
    day = scope.day
    qs = residences_on(scope)
    fields: dict[str, Any] = {"d_sex": F("child__sex"), "d_age": _age_years(day), "d_eth": F("child__ethnicity")}
    if groups:
        # One row per (child, group) that day: the filter and the value share the join to circumstances.
        qs = qs.filter(
            Q(child__circumstances__valid_to__isnull=True) | Q(child__circumstances__valid_to__gte=day),
            child__circumstances__valid_from__lte=day,
            child__circumstances__type__kind=CircumstanceKind.SPECIAL,
        )
        fields["d_group"] = F("child__circumstances__type__code")
        counts: dict[str, Any] = {"n": Count("child_id", distinct=True)}
    else:
        # the children in a special-circumstance group that day: `IN (SELECT …)`, one hashed set on both databases
        special = Q(
            child_id__in=Circumstance.objects.on(day).filter(type__kind=CircumstanceKind.SPECIAL).values("child_id")
        )
        counts = {"n": Count("pk")}
        counts |= {f"f_{name}": Count("pk", filter=special if name == SPECIAL else FLAGS[name]) for name in flags}
    names = ["unit_path", *fields, *counts]
    rows = qs.values("unit_path", **fields).annotate(**counts).order_by().values_list(*names)
    n_keys = 1 + len(fields)
    code = ETHNIC_CODE
    out: list[ScanRow] = []
    for row in rows:
        eth = code.get(row[3], UNKNOWN)
        if groups:
            eth = f"{eth}|{row[4]}"
        out.append((row[0], row[1], row[2], eth, row[n_keys:]))
    scope.cache[key] = out
    return out


def _without_ethnicity(scope: Scope, rows: list[ScanRow]) -> list[ScanRow]:
    """The scan summed over ethnicity (most breakdowns do not use it): a few times fewer rows to walk."""
    key = ("no-ethnicity", id(rows))
    cached = scope.cache.get(key)
    if cached is not None:
        return cast("list[ScanRow]", cached)
    sums: dict[tuple[str, str, int], list[int]] = {}
    for path, sex, age, _eth, counts in rows:
        acc = sums.get((path, sex, age))
        if acc is None:
            sums[(path, sex, age)] = list(counts)
        else:
            for i, n in enumerate(counts):
                acc[i] += n
    out = [(path, sex, age, "", tuple(c)) for (path, sex, age), c in sums.items()]
    scope.cache[key] = out
    return out


@dataclass(frozen=True)
class Population:
    """Children under 16 (or in a narrower age range) living in the place on the day, optionally only those with a
    flag (`FLAGS`) or in at least one special-circumstance group that day. All populations of a run are counted
    from one shared pass over the residences (and one over the special-circumstance intervals)."""

    name: str
    min_age: int = 0
    max_age: int = CHILD_AGE_LIMIT - 1
    flag: str = ""
    special: bool = False
    dims: frozenset[str] = frozenset({"sex", "age_group", "ethnicity"})
    leaf_level: str = Level.VILLAGE
    group_family: str = "special"  # its `group` options are the special-circumstance groups (see `group_codes`)

    def __post_init__(self) -> None:
        if self.special:
            object.__setattr__(self, "dims", self.dims | {"group"})
        if self.flag and self.flag not in FLAGS:
            raise ValueError(f"unknown flag {self.flag!r}")

    def count(self, scope: Scope, dims: tuple[str, ...]) -> Counts:
        groups = "group" in dims
        # a group breakdown reads the pass over the intervals (one row per child and group); anything else the one
        # shared pass over the residences, in the column of its flag
        rows = _scan(scope, groups=groups)
        if "ethnicity" not in dims and not groups:
            rows = _without_ethnicity(scope, rows)
        flag = SPECIAL if self.special else self.flag
        column = 0 if groups or not flag else 1 + flag_columns(scope.flags).index(flag)
        band = {age: _band(age, scope.age_bands) for age in range(CHILD_AGE_LIMIT)}
        out: Counts = Counter()
        lo, hi = self.min_age, self.max_age
        # the breakdown's options from a scan row, without building a mapping per row
        picks = {"sex": 1, "age_group": 2, "ethnicity": 3, "group": 4}
        at = [picks[d] for d in dims]
        for path, sex, age, eth, counts in rows:
            n = counts[column]
            if not n or not lo <= age <= hi:
                continue
            group = ""
            if groups:
                eth, group = eth.split("|", 1)
            row = (path, sex, band[age], eth, group)
            out[(path, tuple([row[i] for i in at]))] += n
        return out

    def changed_paths(self, since: dt.datetime) -> set[str]:
        ids = registry_changed_child_ids(since)
        return set(Residence.objects.filter(child_id__in=ids).values_list("unit_path", flat=True).distinct())


# --- the cases: children received in the period ---------------------------------------------------------------


def _band(age: int | None, bands: Iterable[AgeBand]) -> str:
    if age is None:
        return UNKNOWN
    return next((b.code for b in bands if b.min_age <= age <= b.max_age), UNKNOWN)


@dataclass(frozen=True)
class AbusedChildren:
    """Children under 16 received in the period as abused (TT 13/2021 indicator 0101), counted once each where
    their case is handled; `supported`: of them, those whose case gave support and intervention by the period's end
    (emergency measures, a service or referral, a placement, or an approved plan being carried out)."""

    name: str
    supported: bool = False
    dims: frozenset[str] = frozenset({"sex", "age_group", "setting", "abuse_form"})
    leaf_level: str = Level.COMMUNE  # a case is handled by a commune

    def count(self, scope: Scope, dims: tuple[str, ...]) -> Counts:
        out: Counts = Counter()
        seen: set[tuple[object, ...]] = set()
        for row in abuse_rows(scope.roots, scope.period.start, scope.period.end):
            if self.supported and not row.supported:
                continue
            for values in _abuse_options(row, dims, scope.age_bands):
                key = (row.unit_path, values)
                if (key, row.who) in seen:
                    continue
                seen.add((key, row.who))
                out[key] += 1
        return out

    def changed_paths(self, since: dt.datetime) -> set[str]:
        return case_changed_paths(since)


def _abuse_options(row: AbuseRow, dims: tuple[str, ...], bands: tuple[AgeBand, ...]) -> Iterable[tuple[str, ...]]:
    """Every combination of options the row falls in (one per form of abuse when the forms are asked for)."""
    one = {
        "sex": row.sex or UNKNOWN,
        "age_group": _band(row.age, bands),
        "setting": row.setting or UNKNOWN,
    }
    if "abuse_form" not in dims:
        yield tuple(one[d] for d in dims)
        return
    for form in row.forms or [UNKNOWN]:
        yield tuple(form if d == "abuse_form" else one[d] for d in dims)


@dataclass(frozen=True)
class PlanApprovals:
    """Support-and-intervention plans approved in the period (NĐ 56: within 2 working days of the proposal), or
    only those approved on time."""

    name: str
    on_time: bool = False
    dims: frozenset[str] = frozenset()
    leaf_level: str = Level.COMMUNE

    def count(self, scope: Scope, dims: tuple[str, ...]) -> Counts:
        out: Counts = Counter()
        for path, on_time in plan_approval_rows(scope.roots, scope.period.start, scope.period.end):
            if on_time or not self.on_time:
                out[(path, ())] += 1
        return out

    def changed_paths(self, since: dt.datetime) -> set[str]:
        return case_changed_paths(since)


# --- support programmes: children in special circumstances assisted --------------------------------------------


@dataclass(frozen=True)
class SpecialAssisted:
    """Children who received a delivery of a support programme in the period while under 16 and in a
    special-circumstance group that day, counted once each where they lived on the list of their latest delivery."""

    name: str
    dims: frozenset[str] = frozenset({"sex"})
    leaf_level: str = Level.VILLAGE

    def count(self, scope: Scope, dims: tuple[str, ...]) -> Counts:
        out: Counts = Counter()
        for path, sex in special_assisted_rows(scope.roots, scope.period.start, scope.period.end):
            out[(path, tuple(sex or UNKNOWN for _d in dims))] += 1
        return out

    def changed_paths(self, since: dt.datetime) -> set[str]:
        return delivery_changed_paths(since)


# --- injuries, accidents and deaths of children -------------------------------------------------------------------


def _event_counts(rows: list[EventRow], scope: Scope, dims: tuple[str, ...]) -> Counts:
    """Each child once in each place they had an event in (with the sex, and the age of their first event there);
    by `group`, once under each kind they had there (a non-partition dimension)."""
    out: Counts = Counter()
    first: dict[tuple[int, str], EventRow] = {}
    kinds: dict[tuple[int, str], list[str]] = {}
    for row in rows:
        key = (row.child_id, row.unit_path)
        first.setdefault(key, row)
        seen = kinds.setdefault(key, [])
        if row.kind not in seen:
            seen.append(row.kind)
    for key, row in first.items():
        one = {"sex": row.sex or UNKNOWN, "age_group": _band(row.age, scope.age_bands)}
        for kind in kinds[key] if "group" in dims else [""]:
            out[(row.unit_path, tuple(kind if d == "group" else one[d] for d in dims))] += 1
    return out


@dataclass(frozen=True)
class InjuredChildren:
    """Children under 16 injured in an accident in the period (drowning, traffic, fall…), counted once in each place
    where they lived on the day of an injury (a child who moved counts where they were then); by `group`, the kind."""

    name: str
    dims: frozenset[str] = frozenset({"sex", "age_group", "group"})
    leaf_level: str = Level.VILLAGE
    group_family: str = "incident"

    def count(self, scope: Scope, dims: tuple[str, ...]) -> Counts:
        return _event_counts(incident_rows(scope.roots, scope.period.start, scope.period.end), scope, dims)

    def changed_paths(self, since: dt.datetime) -> set[str]:
        return incident_changed_paths(since)


@dataclass(frozen=True)
class ChildDeaths:
    """Children under 16 who died in the period, once each where they lived that day; `injury`: only deaths from an
    injury or accident (drowning included). By `group`: the injury kind, or the cause of a death not from injury."""

    name: str
    injury: bool = False
    dims: frozenset[str] = frozenset({"sex", "age_group", "group"})
    leaf_level: str = Level.VILLAGE
    group_family: str = "death"

    def count(self, scope: Scope, dims: tuple[str, ...]) -> Counts:
        rows = death_rows(scope.roots, scope.period.start, scope.period.end)
        if self.injury:
            rows = [r for r in rows if r.injury]
        return _event_counts(rows, scope, dims)

    def changed_paths(self, since: dt.datetime) -> set[str]:
        return incident_changed_paths(since)


def group_codes(comp: Computation | None) -> set[str] | None:
    """The options of the `group` dimension a computation can fill: the special-circumstance groups (letters), the
    kinds of injury, or for deaths the kinds of injury and the other causes; None when it has no `group`."""
    family = getattr(comp, "group_family", "")
    if family == "special":
        return set(CircumstanceType.objects.filter(kind=CircumstanceKind.SPECIAL).values_list("code", flat=True))
    if family in ("incident", "death"):
        codes = set(IncidentKind.objects.values_list("code", flat=True))
        return codes | set(DEATH_CAUSE_OPTION.values()) if family == "death" else codes
    return None


# --- disasters and epidemics: children affected, and of them those helped ------------------------------------------


@dataclass(frozen=True)
class DisasterChildren:
    """Children confirmed affected by a disaster or epidemic that began in the period, counted once each where they
    lived during it (age on its first day); `helped`: of them, those who received a delivery of one of its relief
    rounds by the period's last day (the deliveries are the ledger: nothing is entered twice)."""

    name: str
    helped: bool = False
    dims: frozenset[str] = frozenset({"sex", "age_group"})
    leaf_level: str = Level.VILLAGE

    def count(self, scope: Scope, dims: tuple[str, ...]) -> Counts:
        out: Counts = Counter()
        for row in affected_child_rows(scope.roots, scope.period.start, scope.period.end):
            if self.helped and not row.helped:
                continue
            one = {"sex": row.sex or UNKNOWN, "age_group": _band(row.age, scope.age_bands)}
            out[(row.unit_path, tuple(one[d] for d in dims))] += 1
        return out

    def changed_paths(self, since: dt.datetime) -> set[str]:
        return affected_changed_paths(since)


# --- the cases: abuse cases by legal outcome ------------------------------------------------------------------


@dataclass(frozen=True)
class AbuseOutcomes:
    """Abuse cases with a legal outcome dated in the period, once each where the case is handled; `outcome` is the kind
    of the latest such row. With `kinds`: only the cases with an outcome of one of those kinds in the period."""

    name: str
    kinds: tuple[str, ...] = ()
    dims: frozenset[str] = frozenset({"outcome"})
    leaf_level: str = Level.COMMUNE

    def count(self, scope: Scope, dims: tuple[str, ...]) -> Counts:
        out: Counts = Counter()
        for path, kind, recorded in outcome_rows(scope.roots, scope.period.start, scope.period.end):
            if self.kinds and not recorded & set(self.kinds):
                continue
            out[(path, tuple(kind for _d in dims))] += 1
        return out

    def changed_paths(self, since: dt.datetime) -> set[str]:
        return case_changed_paths(since)


# --- the units themselves: the denominator of a share of communes -----------------------------------------------


@dataclass(frozen=True)
class Communes:
    """The communes of the scope (`Scope.communes`), one each."""

    name: str = "communes"
    dims: frozenset[str] = frozenset()
    leaf_level: str = Level.COMMUNE

    def count(self, scope: Scope, dims: tuple[str, ...]) -> Counts:
        return Counter({(path, ()): 1 for path in scope.communes().values_list("path", flat=True)})

    def changed_paths(self, since: dt.datetime) -> set[str]:
        return set()  # units carry no change time; a reorganisation is recomputed in full


def _all() -> dict[str, Computation]:
    items: list[Computation] = [
        Population("children"),
        Population("children_special", special=True),
        Population("children_under1", max_age=0),
        Population("children_under5", max_age=4),
        Population("children_under5_birth_registered", max_age=4, flag="birth_registered"),
        Population("children_under6", max_age=5),
        Population("children_under6_insured", max_age=5, flag="insured"),
        Population("children_3_5", min_age=3, max_age=5),
        Population("children_3_5_preschool", min_age=3, max_age=5, flag="preschool"),
        Population("children_5", min_age=5, max_age=5),
        Population("children_5_preschool", min_age=5, max_age=5, flag="preschool"),
        Population("children_6_10", min_age=6, max_age=10),
        Population("children_6_10_dropped_out", min_age=6, max_age=10, flag="dropped_out"),
        Population("children_11_15", min_age=11),
        Population("children_11_15_dropped_out", min_age=11, flag="dropped_out"),
        Population("children_under5_weighed", max_age=4, flag="weighed"),
        Population("children_under5_underweight", max_age=4, flag="underweight"),
        Population("children_under5_stunted", max_age=4, flag="stunted"),
        Population("children_disability", flag="disability"),
        AbusedChildren("abused_children"),
        AbusedChildren("abused_children_supported", supported=True),
        PlanApprovals("plans_approved"),
        PlanApprovals("plans_approved_on_time", on_time=True),
        SpecialAssisted("children_special_assisted"),
        InjuredChildren("child_injuries"),
        ChildDeaths("child_deaths"),
        ChildDeaths("child_injury_deaths", injury=True),
        DisasterChildren("children_disaster_affected"),
        DisasterChildren("children_disaster_helped", helped=True),
        AbuseOutcomes("abuse_cases_with_outcome"),
        AbuseOutcomes("abuse_violations_handled", kinds=("administrative",)),
        Communes(),
    ]
    return {c.name: c for c in items}


COMPUTATIONS: dict[str, Computation] = _all()
COMPUTATION_CHOICES: list[tuple[str, str]] = [(name, name) for name in sorted(COMPUTATIONS)]


def register(computation: Computation) -> None:
    """Add a computation a higher app owns (e.g. assessments' recognised communes), from its AppConfig.ready(): the
    indicators app never imports the apps that count for it. A name already taken by another computation is refused:
    replacing it would silently change what an indicator counts."""
    have = COMPUTATIONS.get(computation.name)
    if have is not None and have != computation:
        raise ValueError(f"a computation named {computation.name!r} is already registered: {have!r}")
    COMPUTATIONS[computation.name] = computation
    COMPUTATION_CHOICES[:] = [(name, name) for name in sorted(COMPUTATIONS)]
