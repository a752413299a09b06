"""The verdict of QĐ 06/QĐ-TTg: a commune is recognised when every criterion is met (none at 0) and the total reaches
the threshold of its category. While any item has no score the verdict is "incomplete"."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from .models import Assessment, Criterion, Item, Score


class Verdict(StrEnum):
    RECOGNISED = "recognised"
    NOT_RECOGNISED = "not_recognised"
    INCOMPLETE = "incomplete"

    @property
    def label(self) -> str:
        return str(VERDICT_LABELS[self])


VERDICT_LABELS = {
    Verdict.RECOGNISED: _("Meets the standard"),
    Verdict.NOT_RECOGNISED: _("Does not meet the standard"),
    Verdict.INCOMPLETE: _("Incomplete: some items have no score"),
}


@dataclass(frozen=True, slots=True)
class CriterionResult:
    criterion: Criterion
    points: int  # the sum of the scored items
    max_points: int
    complete: bool  # every item scored
    met: bool  # complete and at least the criterion's minimum


@dataclass(frozen=True, slots=True)
class Result:
    total: int
    max_total: int
    threshold: int
    verdict: Verdict
    criteria: tuple[CriterionResult, ...]

    @property
    def unmet(self) -> list[CriterionResult]:
        return [c for c in self.criteria if c.complete and not c.met]


def criteria_and_items() -> tuple[list[Criterion], list[Item]]:
    """The criteria and their items in the order they are printed (every current item counts)."""
    criteria = list(Criterion.objects.order_by("number"))
    items = list(Item.objects.select_related("criterion").order_by("criterion__number", "sort_order", "code"))
    return criteria, items


def evaluate_scores(
    points: dict[int, int | None], items: list[Item], criteria: list[Criterion], threshold: int
) -> Result:
    """The verdict from the points of each item (by item id; None: not scored yet)."""
    results = []
    for criterion in criteria:
        mine = [it for it in items if it.criterion_id == criterion.pk]
        got = [points.get(it.pk) for it in mine]
        complete = all(p is not None for p in got)
        total = sum(p or 0 for p in got)
        met = complete and total >= max(criterion.min_points, 1)
        results.append(CriterionResult(criterion, total, sum(it.max_points for it in mine), complete, met))
    total = sum(r.points for r in results)
    if not all(r.complete for r in results):
        verdict = Verdict.INCOMPLETE
    elif all(r.met for r in results) and total >= threshold:
        verdict = Verdict.RECOGNISED
    else:
        verdict = Verdict.NOT_RECOGNISED
    return Result(total, sum(r.max_points for r in results), threshold, verdict, tuple(results))


def evaluate(assessment: Assessment) -> Result:
    """The assessment's total, threshold and verdict from its stored scores (every current item counts: an item
    added later without a score makes the assessment incomplete)."""
    criteria, items = criteria_and_items()
    points = dict(Score.objects.filter(assessment=assessment).values_list("item_id", "points"))
    return evaluate_scores(points, items, criteria, assessment.category.min_total)
