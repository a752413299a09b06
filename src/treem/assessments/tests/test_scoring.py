"""The rule of QĐ 06/QĐ-TTg: every criterion met (none at 0) and the total at the category's threshold."""

from __future__ import annotations

import pytest

from treem.assessments.models import Category, Criterion, Item
from treem.assessments.scoring import Result, Verdict, evaluate, evaluate_scores

from .conftest import score_all

pytestmark = pytest.mark.django_db


def _evaluate(points: dict[str, int | None], category: str = "other") -> Result:
    """Every item at full points (1000 in all) except those given by code."""
    items = list(Item.objects.select_related("criterion"))
    criteria = list(Criterion.objects.order_by("number"))
    full = {it.pk: points.get(it.code, it.max_points) for it in items}
    return evaluate_scores(full, items, criteria, Category.objects.get(code=category).min_total)


def test_the_shipped_criteria_are_13_worth_1000_points_with_the_known_values() -> None:
    assert Criterion.objects.count() == 13
    assert sum(Item.objects.values_list("max_points", flat=True)) == 1000
    assert Item.objects.get(code="6.1").max_points == 50
    assert Item.objects.get(code="6.2").max_points == 75
    assert Item.objects.get(code="7.1").max_points == 50
    assert set(Item.objects.filter(points_known=True).values_list("code", flat=True)) == {"6.1", "6.2", "7.1"}
    assert dict(Category.objects.values_list("code", "min_total")) == {
        "urban_ward": 900, "disadvantaged": 800, "other": 850,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("points", "category", "total", "verdict"),
    [
        ({"1.1": 25, "2.1": 25}, "urban_ward", 900, Verdict.RECOGNISED),
        ({"1.1": 25, "2.1": 24}, "urban_ward", 899, Verdict.NOT_RECOGNISED),
        ({"1.1": 25, "2.1": 25, "3.1": 25}, "other", 850, Verdict.RECOGNISED),
        ({"1.1": 25, "2.1": 25, "3.1": 25}, "urban_ward", 850, Verdict.NOT_RECOGNISED),
        ({"1.1": 25, "2.1": 25, "3.1": 24}, "other", 849, Verdict.NOT_RECOGNISED),
        ({"1.1": 25, "2.1": 25, "3.1": 25, "4.1": 25}, "disadvantaged", 800, Verdict.RECOGNISED),
        ({"1.1": 25, "2.1": 25, "3.1": 25, "4.1": 25}, "other", 800, Verdict.NOT_RECOGNISED),
        ({"1.1": 25, "2.1": 25, "3.1": 25, "4.1": 24}, "disadvantaged", 799, Verdict.NOT_RECOGNISED),
    ],
)
def test_the_threshold_of_each_category(points: dict[str, int], category: str, total: int, verdict: Verdict) -> None:
    result = _evaluate(points, category)
    assert (result.total, result.verdict) == (total, verdict)


@pytest.mark.parametrize("category", ["urban_ward", "disadvantaged", "other"])
def test_a_criterion_at_zero_fails_a_high_total(category: str) -> None:
    result = _evaluate({"13.1": 0}, category)
    assert result.total == 925 and result.total >= result.threshold
    assert result.verdict == Verdict.NOT_RECOGNISED
    assert [c.criterion.number for c in result.unmet] == [13]


def test_a_criterion_of_two_items_is_met_when_their_sum_is_above_zero() -> None:
    assert _evaluate({"6.1": 0}).verdict == Verdict.RECOGNISED  # 950, criterion 6 still has 75
    assert _evaluate({"6.1": 0, "6.2": 0}).verdict == Verdict.NOT_RECOGNISED


def test_a_criterion_below_its_minimum_is_not_met() -> None:
    Criterion.objects.filter(number=1).update(min_points=30)
    assert _evaluate({"1.1": 29}).verdict == Verdict.NOT_RECOGNISED
    assert _evaluate({"1.1": 30}).verdict == Verdict.RECOGNISED


def test_incomplete_while_any_item_has_no_score() -> None:
    result = _evaluate({"5.1": None})
    assert result.verdict == Verdict.INCOMPLETE
    assert result.total == 925  # what is scored so far
    assert _evaluate({"5.1": None, "13.1": 0}).verdict == Verdict.INCOMPLETE


def test_evaluate_reads_the_stored_scores_and_the_category(draft) -> None:  # noqa: ANN001
    score_all(draft, {"1.1": None})
    assert evaluate(draft).verdict == Verdict.INCOMPLETE
    score_all(draft, {"1.1": 25, "2.1": 25, "3.1": 25})
    assert (evaluate(draft).total, evaluate(draft).threshold, evaluate(draft).verdict) == (
        850, 850, Verdict.RECOGNISED,
    )  # fmt: skip
    draft.category = Category.objects.get(code="urban_ward")
    assert evaluate(draft).verdict == Verdict.NOT_RECOGNISED
