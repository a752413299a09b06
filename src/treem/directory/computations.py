"""What the directory gives the indicators: the communes with a play spot for children, counted per commune (the
engine rolls them up), so that `communes_play_spot` is their share of all communes (the engine's own `communes`).

Registered with the indicators' computations from `IndicatorsConfig.ready()`: the directory sits below the indicators
and never imports them; this object only has the shape they ask for (`indicators.computations.Computation`).

A commune counts for a period when, on the period's last day, it or one of its villages holds an open place of a
kind flagged as a play spot or cultural facility for children, open since that day or earlier (since its opening
date, else since it was entered). Only the communes the denominator counts are counted (`scope.communes()`), so the
share never exceeds 100 %.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from treem.units.models import PATH_SEP, Level

from .models import Provider
from .selectors import opened_by


def play_spots_on(scope: Any) -> Any:
    """The open play spots and cultural facilities for children below the scope's units, open on its last day."""
    day: dt.date = scope.day
    return Provider.objects.filter(scope.where("unit_path"), opened_by(day), kind__play_spot=True)


def _prefixes(path: str) -> list[str]:
    parts = path.rstrip(PATH_SEP).split(PATH_SEP)
    return [PATH_SEP.join(parts[: i + 1]) + PATH_SEP for i in range(len(parts))]


@dataclass(frozen=True)
class CommunesWithPlaySpot:
    name: str = "communes_play_spot"
    dims: frozenset[str] = frozenset()
    leaf_level: str = Level.COMMUNE

    def count(self, scope: Any, dims: tuple[str, ...]) -> Counter[tuple[str, tuple[str, ...]]]:
        communes = set(scope.communes().values_list("path", flat=True))
        out: Counter[tuple[str, tuple[str, ...]]] = Counter()
        for path in set(play_spots_on(scope).values_list("unit_path", flat=True)):
            commune = next((p for p in _prefixes(path) if p in communes), None)
            if commune is not None:
                out[(commune, ())] = 1
        return out

    def changed_paths(self, since: dt.datetime) -> set[str]:
        return set(Provider.objects.filter(updated_at__gte=since).values_list("unit_path", flat=True))


COMMUNES_WITH_PLAY_SPOT = CommunesWithPlaySpot()
