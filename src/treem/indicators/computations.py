"""The named computations an indicator's numerator and denominator refer to.

A computation counts, for a period and a set of unit subtrees, how many children (or plans…) each leaf place holds,
broken down by the dimensions asked for: {(leaf unit path, (option of each dimension…)): count}. It knows which
dimensions it can break down by. Leaf places are the paths records store (a village, or a commune); the engine rolls
them up the unit tree. "area" (urban/rural) is a property of the place, so the engine adds it, not the computation.

Registry computations count a child where they lived on the period's last day, with the age they had that day
(completed years) and the groups they were in that day: one GROUP BY over residences. Case computations count cases
received in the period, where the case is handled.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, NullIf

from treem.cases.selectors import AbuseRow, abuse_rows, case_changed_paths, plan_approval_rows
from treem.core.dates import years_before
from treem.core.ethnicity import ETHNIC_GROUPS
from treem.core.periods import Period
from treem.registry.models import (
    CHILD_AGE_LIMIT,
    Circumstance,
    CircumstanceKind,
    Nutrition,
    Residence,
    SchoolStatus,
)
from treem.registry.selectors import registry_changed_child_ids

ETHNIC_CODE = {name: code for code, name in ETHNIC_GROUPS}
UNKNOWN = "unknown"  # the option of a record whose value is not known (so a partition still adds up)
type Counts = Counter[tuple[str, tuple[str, ...]]]  # (leaf unit path, options in the order of the dims) -> count


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

    @property
    def day(self) -> dt.date:
        return self.period.end

    def where(self, path_field: str) -> Q:
        q = Q()
        for root in self.roots:
            q |= Q(**{f"{path_field}__path_prefix": root})
        return q


class Computation(Protocol):
    name: str
    dims: frozenset[str]

    def count(self, scope: Scope, dims: tuple[str, ...]) -> Counts: ...

    def changed_paths(self, since: dt.datetime) -> set[str]: ...


# --- the registry: children where they lived on the day -------------------------------------------------------


def _age_case(scope: Scope) -> Case:
    """The child's age band on the day, from the date of birth alone (portable SQL: date comparisons)."""
    whens = [
        When(child__date_of_birth__gt=years_before(scope.day, band.max_age + 1), then=Value(band.code))
        for band in sorted(scope.age_bands, key=lambda b: b.max_age)
    ]
    return Case(*whens, default=Value(UNKNOWN))


def special_on(day: dt.date) -> QuerySet[Circumstance]:
    return Circumstance.objects.on(day).filter(type__kind=CircumstanceKind.SPECIAL)


@dataclass(frozen=True)
class Population:
    """Children under 16 (or in a narrower age range) living in the place on the day, optionally only those who
    match `where` (on the child) or who are in at least one special-circumstance group that day."""

    name: str
    min_age: int = 0
    max_age: int = CHILD_AGE_LIMIT - 1
    where: Q = field(default_factory=Q)
    special: bool = False
    dims: frozenset[str] = frozenset({"sex", "age_group", "ethnicity"})

    def __post_init__(self) -> None:
        if self.special:
            object.__setattr__(self, "dims", self.dims | {"group"})

    def queryset(self, scope: Scope) -> QuerySet[Residence]:
        day = scope.day
        qs = (
            Residence.objects.on(day)
            .filter(scope.where("unit_path"))
            .filter(
                child__merged_into__isnull=True,
                child__date_of_birth__lte=years_before(day, self.min_age),
                child__date_of_birth__gt=years_before(day, self.max_age + 1),
            )
        )
        return qs.filter(self.where) if self.where else qs

    def count(self, scope: Scope, dims: tuple[str, ...]) -> Counts:
        qs = self.queryset(scope)
        exprs = {
            "sex": F("child__sex"),
            "age_group": _age_case(scope),
            "ethnicity": Coalesce(NullIf(F("child__ethnicity"), Value("")), Value(UNKNOWN)),
        }
        if "group" in dims:
            # One row per (child, group) that day: the filter and the value share the join to circumstances.
            day = scope.day
            qs = qs.filter(
                Q(child__circumstances__valid_to__isnull=True) | Q(child__circumstances__valid_to__gte=day),
                child__circumstances__valid_from__lte=day,
                child__circumstances__type__kind=CircumstanceKind.SPECIAL,
            )
            exprs["group"] = F("child__circumstances__type__code")
            counted = Count("child_id", distinct=True)
        else:
            if self.special:
                qs = qs.filter(Exists(special_on(scope.day).filter(child_id=OuterRef("child_id"))))
            counted = Count("child_id")
        names = {d: f"d_{d}" for d in dims}
        rows = qs.values("unit_path", **{names[d]: exprs[d] for d in dims}).annotate(n=counted).order_by()
        out: Counts = Counter()
        for row in rows:
            values = tuple(str(row[names[d]]) for d in dims)
            if "ethnicity" in dims:  # the official two-digit code of the group the record names
                at = dims.index("ethnicity")
                values = (*values[:at], ETHNIC_CODE.get(values[at], UNKNOWN), *values[at + 1 :])
            out[(row["unit_path"], values)] += row["n"]
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

    def count(self, scope: Scope, dims: tuple[str, ...]) -> Counts:
        out: Counts = Counter()
        for path, on_time in plan_approval_rows(scope.roots, scope.period.start, scope.period.end):
            if on_time or not self.on_time:
                out[(path, ())] += 1
        return out

    def changed_paths(self, since: dt.datetime) -> set[str]:
        return case_changed_paths(since)


def _all() -> dict[str, Computation]:
    under5 = {"max_age": 4}
    dropped_out = Q(child__school_status=SchoolStatus.DROPPED_OUT)
    items: list[Computation] = [
        Population("children"),
        Population("children_special", special=True),
        Population("children_under1", max_age=0),
        Population("children_under5", **under5),
        Population("children_under5_birth_registered", **under5, where=Q(child__birth_registered=True)),
        Population("children_under6", max_age=5),
        Population("children_under6_insured", max_age=5, where=~Q(child__health_insurance_number="")),
        Population("children_3_5", min_age=3, max_age=5),
        Population(
            "children_3_5_preschool", min_age=3, max_age=5, where=Q(child__school_status=SchoolStatus.PRESCHOOL)
        ),
        Population("children_5", min_age=5, max_age=5),
        Population("children_5_preschool", min_age=5, max_age=5, where=Q(child__school_status=SchoolStatus.PRESCHOOL)),
        Population("children_6_10", min_age=6, max_age=10),
        Population("children_6_10_dropped_out", min_age=6, max_age=10, where=dropped_out),
        Population("children_11_15", min_age=11),
        Population("children_11_15_dropped_out", min_age=11, where=dropped_out),
        Population("children_under5_weighed", **under5, where=~Q(child__nutrition=Nutrition.UNKNOWN)),
        Population("children_under5_underweight", **under5, where=Q(child__nutrition=Nutrition.UNDERWEIGHT)),
        Population("children_under5_stunted", **under5, where=Q(child__nutrition=Nutrition.STUNTED)),
        Population("children_disability", where=~Q(child__disability="")),
        AbusedChildren("abused_children"),
        AbusedChildren("abused_children_supported", supported=True),
        PlanApprovals("plans_approved"),
        PlanApprovals("plans_approved_on_time", on_time=True),
    ]
    return {c.name: c for c in items}


COMPUTATIONS: dict[str, Computation] = _all()
COMPUTATION_CHOICES: list[tuple[str, str]] = [(name, name) for name in sorted(COMPUTATIONS)]
