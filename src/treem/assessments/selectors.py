"""Reading assessments: the communes under a unit with their assessment of a year and its verdict, scoped."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from treem.accounts.scope import scope_queryset
from treem.units.models import Level, Unit

from .models import Assessment, Score, Status
from .scoring import Result, criteria_and_items, evaluate_scores


@dataclass(frozen=True, slots=True)
class Row:
    commune: Unit
    assessment: Assessment | None
    result: Result | None


def results_of(assessments: list[Assessment]) -> dict[int, Result]:
    """Each assessment's result, from one read of the criteria and one of the scores."""
    criteria, items = criteria_and_items()
    points: dict[int, dict[int, int | None]] = {a.pk: {} for a in assessments}
    for a_id, item_id, p in Score.objects.filter(assessment__in=assessments).values_list(
        "assessment_id", "item_id", "points"
    ):
        points[a_id][item_id] = p
    return {a.pk: evaluate_scores(points[a.pk], items, criteria, a.category.min_total) for a in assessments}


def visible_assessments(user: Any) -> QuerySet[Assessment]:
    return scope_queryset(user, Assessment.objects.select_related("unit", "category"))


def communes_with_assessments(user: Any, unit: Unit, year: int) -> list[Row]:
    """The communes of `unit`'s subtree (the unit itself when it is a commune) with their assessment of the year."""
    communes = scope_queryset(user, Unit.objects.filter(level=Level.COMMUNE, structure=unit.structure), within=unit)
    communes = communes.filter(is_active=True).order_by("path")
    found = {a.unit_id: a for a in visible_assessments(user).filter(year=year, unit__in=communes)}
    results = results_of(list(found.values()))
    return [Row(c, found.get(c.pk), results.get(found[c.pk].pk) if c.pk in found else None) for c in communes]


def status_counts(rows: list[Row]) -> dict[str, int]:
    counts = {s.value: 0 for s in Status}
    counts["none"] = 0
    for row in rows:
        counts[row.assessment.status if row.assessment else "none"] += 1
    return counts
