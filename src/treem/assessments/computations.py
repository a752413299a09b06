"""What the assessments give the indicators: the communes recognised as child-friendly, counted per commune (the
engine rolls them up), so that `child_friendly_communes` is their share of all communes (the engine's own `communes`).
Registered with the indicators' computations from `AssessmentsConfig.ready()`.

A commune counts as recognised for a period when, of its assessments decided by the period's last day, the latest
(by year, then decision date) recognised it: a recognition holds until a later assessment decides otherwise."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from treem.indicators.computations import Counts, Scope
from treem.units.models import Level

from .models import DECIDED, Assessment, Status


@dataclass(frozen=True)
class RecognisedCommunes:
    name: str = "communes_child_friendly"
    dims: frozenset[str] = frozenset()
    leaf_level: str = Level.COMMUNE

    def count(self, scope: Scope, dims: tuple[str, ...]) -> Counts:
        latest: dict[str, tuple[int, dt.date, str]] = {}
        rows = (
            Assessment.objects.filter(unit__in=scope.communes())
            .filter(status__in=DECIDED, decision_date__lte=scope.day)
            .values_list("unit_path", "year", "decision_date", "status")
        )
        for path, year, decided, status in rows:
            if decided is None:  # for the type only: the filter leaves no undated decision
                continue
            if path not in latest or (year, decided) > latest[path][:2]:
                latest[path] = (year, decided, status)
        out: Counts = Counter()
        for path, (_year, _decided, status) in latest.items():
            if status == Status.RECOGNISED:
                out[(path, ())] += 1
        return out

    def changed_paths(self, since: dt.datetime) -> set[str]:
        return set(Assessment.objects.filter(updated_at__gte=since).values_list("unit_path", flat=True))


COMMUNES_RECOGNISED = RecognisedCommunes()
