"""The demo's assessments: one self-assessed awaiting appraisal, one recognised, one draft; the indicator computed."""

from __future__ import annotations

import pytest

from treem.accounts import roles
from treem.assessments.models import Assessment, Status
from treem.demo.assessments import seed_assessments
from treem.indicators.models import DataValue
from treem.units.models import Level
from treem.units.tests.factories import make_unit

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_an_assessment_in_progress(tree, make_user) -> None:  # noqa: ANN001
    make_user(roles.COMMUNE_OFFICER, tree.commune, username="canbo.khunha")
    make_user(roles.PROVINCE_SPECIALIST, tree.province, username="tinh.laichau")
    third = make_unit(tree.province, Level.COMMUNE, "03433", "Xã Hua Bum", "Xã")
    stats = seed_assessments(communes=[tree.commune, tree.sibling, third], commune=tree.commune)
    assert stats.assessments == 3
    status = dict(Assessment.objects.values_list("unit__code", "status"))
    assert status == {"03430": Status.SELF_ASSESSED, "03412": Status.RECOGNISED, "03433": Status.DRAFT}
    recognised = Assessment.objects.get(status=Status.RECOGNISED)
    assert recognised.decision_date.year == stats.year
    share = DataValue.objects.get(
        indicator__code="child_friendly_communes", unit=tree.province, period=str(stats.year), disagg=""
    )
    assert (share.numerator, share.denominator) == (1.0, 3.0)
    assert seed_assessments(communes=[tree.commune, tree.sibling, third], commune=tree.commune).assessments == 0
