"""What the activities give the indicators, counted where each activity is recorded (its unit; the engine rolls the
counts up the unit tree). An activity counts in the period it began. Registered with the indicators' computations
from `ActivitiesConfig.ready()` (the indicators never import the activities).

- `activities_<type>`: activities of a shipped type (the codes of `fixtures/types.json`); `activities`: of any type.
- `activity_participants_<type>` / `activity_participants`: people taking part, by sex (`sex`: M = boys and men,
  F = girls and women); `activity_children`: children taking part, by sex.
- `communes_with_club_session`: communes that held a club session (theirs or a village's) in the period, for the
  share of communes with an active children's club (over `communes`, the assessments' count of communes).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from treem.indicators.computations import Computation, Counts, Scope
from treem.units.models import Level

from .kinds import TYPES_FILE
from .models import Activity

CLUB_SESSION = "club_session"


def _activities(scope: Scope, type_code: str) -> QuerySet[Activity]:
    qs = Activity.objects.filter(scope.where("unit_path")).filter(
        starts_on__gte=scope.period.start, starts_on__lte=scope.period.end
    )
    return qs.filter(type__code=type_code) if type_code else qs


def _changed(since: dt.datetime) -> set[str]:
    return set(Activity.objects.filter(updated_at__gte=since).values_list("unit_path", flat=True))


@dataclass(frozen=True)
class ActivityCount:
    name: str
    type_code: str = ""
    dims: frozenset[str] = frozenset()
    leaf_level: str = Level.VILLAGE

    def count(self, scope: Scope, dims: tuple[str, ...]) -> Counts:
        out: Counts = Counter()
        for path in _activities(scope, self.type_code).values_list("unit_path", flat=True):
            out[(path, ())] += 1
        return out

    def changed_paths(self, since: dt.datetime) -> set[str]:
        return _changed(since)


@dataclass(frozen=True)
class Participants:
    """The people (or with `children`, the children) who took part, by sex when asked."""

    name: str
    type_code: str = ""
    children: bool = False
    dims: frozenset[str] = frozenset({"sex"})
    leaf_level: str = Level.VILLAGE

    def count(self, scope: Scope, dims: tuple[str, ...]) -> Counts:
        fields = ("unit_path", "children_male", "children_female", "adults_male", "adults_female")
        out: Counts = Counter()
        for path, boys, girls, men, women in _activities(scope, self.type_code).values_list(*fields):
            male, female = (boys, girls) if self.children else (boys + men, girls + women)
            if "sex" in dims:
                out[(path, ("M",))] += male
                out[(path, ("F",))] += female
            else:
                out[(path, ())] += male + female
        return out

    def changed_paths(self, since: dt.datetime) -> set[str]:
        return _changed(since)


@dataclass(frozen=True)
class CommunesWithClub:
    """Communes where a club session was held in the period (recorded for the commune or one of its villages)."""

    name: str = "communes_with_club_session"
    dims: frozenset[str] = frozenset()
    leaf_level: str = Level.COMMUNE

    def count(self, scope: Scope, dims: tuple[str, ...]) -> Counts:
        qs = _activities(scope, CLUB_SESSION).filter(Q(unit__level=Level.COMMUNE) | Q(unit__level=Level.VILLAGE))
        communes = {
            path if level == Level.COMMUNE else parent
            for path, level, parent in qs.values_list("unit_path", "unit__level", "unit__parent__path")
        }
        return Counter({(path, ()): 1 for path in communes if path})

    def changed_paths(self, since: dt.datetime) -> set[str]:
        return _changed(since)


def shipped_type_codes() -> list[str]:
    """The codes of the shipped types, read from the fixture (no database at start-up)."""
    return [row["code"] for row in json.loads(TYPES_FILE.read_text(encoding="utf-8"))["activity_types"]]


def computations() -> list[Computation]:
    items: list[Computation] = [
        ActivityCount("activities"),
        Participants("activity_participants"),
        Participants("activity_children", children=True),
        CommunesWithClub(),
    ]
    for code in shipped_type_codes():
        items += [ActivityCount(f"activities_{code}", code), Participants(f"activity_participants_{code}", code)]
    return items
