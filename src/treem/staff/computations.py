"""What the roster gives the indicators: per commune, whether it has a child-protection officer in post on the
period's last day, and per village, whether it has a collaborator in post that day, with the communes and villages
the shares are of (the engine rolls them up the unit tree). The indicators app ranks above this one: it imports these
and registers them (`indicators.computations.register`) from its AppConfig.ready(); they follow its `Computation`
protocol without importing it (a `scope` has `day`, `where(path_field)`)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from treem.units.models import Level, Structure, Unit

from .models import POSITION_LEVEL, Position, Worker

type Counts = Counter[tuple[str, tuple[str, ...]]]


def _units(scope: Any, level: str) -> QuerySet[Unit]:
    """The units a post can be held in: the active ones of the current structure, of `level`, in the scope."""
    return Unit.objects.filter(scope.where("path"), level=level, structure=Structure.CURRENT, is_active=True)


@dataclass(frozen=True)
class PostUnits:
    """The communes (or villages) of the scope: the denominator of a coverage share."""

    name: str
    level: str
    dims: frozenset[str] = frozenset()

    @property
    def leaf_level(self) -> str:
        return self.level

    def count(self, scope: Any, dims: tuple[str, ...]) -> Counts:
        return Counter({(path, ()): 1 for path in _units(scope, self.level).values_list("path", flat=True)})

    def changed_paths(self, since: dt.datetime) -> set[str]:
        return set()  # units carry no change time; a reorganisation is recomputed in full


@dataclass(frozen=True)
class CoveredUnits:
    """The communes (or villages) of the scope with someone in `position` in post on the period's last day."""

    name: str
    position: str
    dims: frozenset[str] = frozenset()

    @property
    def leaf_level(self) -> str:
        return POSITION_LEVEL[self.position]

    def count(self, scope: Any, dims: tuple[str, ...]) -> Counts:
        units = _units(scope, self.leaf_level)
        paths = (
            Worker.objects.active_on(scope.day)
            .filter(position=self.position, unit__in=units)
            .values_list("unit_path", flat=True)
            .distinct()
        )
        return Counter({(path, ()): 1 for path in paths})

    def changed_paths(self, since: dt.datetime) -> set[str]:
        return set(Worker.objects.filter(updated_at__gte=since).values_list("unit_path", flat=True))


COMPUTATIONS = (
    PostUnits("staff_communes", Level.COMMUNE),
    CoveredUnits("communes_with_officer", Position.OFFICER),
    PostUnits("staff_villages", Level.VILLAGE),
    CoveredUnits("villages_with_collaborator", Position.COLLABORATOR),
)
