"""Targets: which one applies (own, nearest ancestor's, national), actual against target, and the status rule."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from treem.indicators.models import DataValue, Indicator, Target
from treem.indicators.targets import Status, applicable_targets, targets_for

pytestmark = pytest.mark.django_db


def put(code: str, unit, period: str, value: float) -> None:  # noqa: ANN001
    DataValue.objects.create(
        indicator=Indicator.objects.get(code=code), unit=unit, period=period, value=value, computed_at=timezone.now()
    )


def row(unit, year: int, code: str):  # noqa: ANN001, ANN201
    return next(r for r in targets_for(unit, year) if r.indicator.code == code)


def test_the_unit_s_own_target_else_the_nearest_ancestor_s_else_the_national_one(tree):
    immunised = Indicator.objects.get(code="immunised_under1")
    national = applicable_targets(tree.commune, 2025)[immunised.pk]
    assert (national.unit, national.value) == (None, 97)  # QĐ 23
    Target.objects.create(indicator=immunised, unit=tree.province, year=2025, comparison="at_least", value=85)
    assert applicable_targets(tree.commune, 2025)[immunised.pk].unit == tree.province
    Target.objects.create(indicator=immunised, unit=tree.commune, year=2025, comparison="at_least", value=95)
    assert applicable_targets(tree.commune, 2025)[immunised.pk].unit == tree.commune
    assert applicable_targets(tree.sibling, 2025)[immunised.pk].unit == tree.province
    # a year between target years is judged against the next one
    assert applicable_targets(tree.sibling, 2027)[immunised.pk].year == 2030


def test_met_and_off_track_in_the_target_year(tree):
    put("immunised_under1", tree.commune, "2025", 97.5)
    put("immunised_under1", tree.sibling, "2025", 90)
    assert row(tree.commune, 2025, "immunised_under1").status == Status.MET
    assert row(tree.sibling, 2025, "immunised_under1").status == Status.OFF_TRACK
    assert row(tree.province, 2025, "immunised_under1").status == Status.NO_DATA


def test_on_track_compares_with_the_straight_line_from_the_baseline_to_the_target(tree):
    immunised = Indicator.objects.get(code="immunised_under1")
    Target.objects.filter(indicator=immunised, unit=None, year=2025).update(
        baseline_year=2021, baseline_value=Decimal(85)
    )
    put("immunised_under1", tree.commune, "2023", 92)  # the line: 85 + (97 - 85) × 2/4 = 91
    put("immunised_under1", tree.sibling, "2023", 90)
    on = row(tree.commune, 2023, "immunised_under1")
    assert (on.status, on.expected) == (Status.ON_TRACK, 91)
    assert row(tree.sibling, 2023, "immunised_under1").status == Status.OFF_TRACK


def test_without_a_baseline_the_earliest_stored_figure_is_the_baseline(tree):
    put("immunised_under1", tree.commune, "2021", 80)
    put("immunised_under1", tree.commune, "2023", 88)  # the line: 80 + 17 × 2/4 = 88.5
    assert row(tree.commune, 2023, "immunised_under1").status == Status.OFF_TRACK
    put("immunised_under1", tree.sibling, "2021", 80)
    put("immunised_under1", tree.sibling, "2023", 89)
    assert row(tree.sibling, 2023, "immunised_under1").status == Status.ON_TRACK
    put("immunised_under1", tree.province, "2023", 50)  # a first figure is on the line
    assert row(tree.province, 2023, "immunised_under1").status == Status.ON_TRACK


def test_lower_is_better_for_a_target_of_at_most(tree):
    stunting = Indicator.objects.get(code="stunting_under5")  # at most 17 % in 2025
    Target.objects.filter(indicator=stunting, unit=None, year=2025).update(baseline_year=2021, baseline_value=25)
    put("stunting_under5", tree.commune, "2023", 20.5)  # the line: 25 - 8 × 2/4 = 21
    put("stunting_under5", tree.sibling, "2023", 22)
    put("stunting_under5", tree.province, "2023", 16)
    assert row(tree.commune, 2023, "stunting_under5").status == Status.ON_TRACK
    assert row(tree.sibling, 2023, "stunting_under5").status == Status.OFF_TRACK
    assert row(tree.province, 2023, "stunting_under5").status == Status.MET


def test_a_half_yearly_figure_stands_in_when_the_year_has_none(tree):
    put("children_special_share", tree.commune, "2025S1", 7)
    put("children_special_share", tree.commune, "2025S2", 6)  # below 6.5: met
    r = row(tree.commune, 2025, "children_special_share")
    assert (r.actual, r.status) == (6, Status.MET)


def test_the_figures_of_every_indicator_are_read_in_one_query(tree, django_assert_max_num_queries):
    """Actual figures and baselines of all the indicators with a target come from one read, not one per indicator."""
    targeted = {t.indicator.code for t in applicable_targets(tree.commune, 2023).values()}
    assert len(targeted) > 3
    for code in targeted:
        put(code, tree.commune, "2021", 1)
        put(code, tree.commune, "2023", 2)
    # the indicators, the unit's ancestors, the targets, the figures
    with django_assert_max_num_queries(4):
        rows = targets_for(tree.commune, 2023)
    assert {r.indicator.code for r in rows} == targeted
