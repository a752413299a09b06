"""Personas for the assessment: the commune's officer and chairman, the province specialist above them."""

from __future__ import annotations

import pytest

from treem.accounts import roles
from treem.assessments import services
from treem.assessments.models import Assessment, Item, Score


@pytest.fixture
def chairman(tree, make_user):  # noqa: ANN001, ANN201
    return make_user(roles.COMMUNE_CHAIRMAN, tree.commune)


@pytest.fixture
def province(tree, make_user):  # noqa: ANN001, ANN201
    """The upper level: appraises and records the decision."""
    return make_user(roles.PROVINCE_SPECIALIST, tree.province)


@pytest.fixture
def other_province(tree, make_user):  # noqa: ANN001, ANN201
    return make_user(roles.PROVINCE_SPECIALIST, tree.other_province)


def score_all(assessment: Assessment, points: dict[str, int | None] | None = None) -> None:
    """Every item at full points, except those given by code."""
    points = points or {}
    for item in Item.objects.all():
        Score.objects.filter(assessment=assessment, item=item).update(points=points.get(item.code, item.max_points))


@pytest.fixture
def draft(tree, officer):  # noqa: ANN001, ANN201
    return services.assessment_start(actor=officer, unit=tree.commune, year=2025)
