"""The demo's activities: Khun Há's year (a Month of Action campaign, an inspection with findings, two steering
meetings, a club with members, a training of the province with trainees), the other communes' fewer ones; once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from treem.accounts import roles
from treem.activities.models import Activity, CostLine, Finding, ListedPerson
from treem.core.dates import today_vn
from treem.demo.activities import seed_activities
from treem.demo.plans import seed_plans
from treem.finance.ledger import ledger
from treem.registry.tests.conftest import child, household

pytestmark = pytest.mark.django_db
__all__ = ["child", "household"]


@pytest.fixture
def demo_users(tree, make_user):  # noqa: ANN001, ANN201
    make_user(roles.PROVINCE_SPECIALIST, tree.province, username="tinh.laichau")
    make_user(roles.COMMUNE_OFFICER, tree.commune, username="canbo.khunha")
    return make_user(roles.AGENCY_REPORTER, tree.province, username="sgd.laichau")


def test_seed_activities(tree, demo_users, child) -> None:  # noqa: ANN001
    seed_plans(province=tree.province, commune=tree.commune)
    stats = seed_activities(communes=[tree.commune, tree.sibling], commune=tree.commune)
    mine = Activity.objects.filter(unit=tree.commune)
    assert sorted(mine.values_list("type__code", flat=True)) == [
        "campaign", "club_session", "inspection", "meeting", "meeting",
    ]  # fmt: skip
    assert Finding.objects.filter(activity__unit=tree.commune).count() == 2
    assert ListedPerson.objects.filter(child=child).exists()  # the club's member
    training = Activity.objects.get(unit=tree.province, type__code="training")
    assert training.organiser is not None and ListedPerson.objects.filter(activity=training, worker__isnull=False)
    assert Activity.objects.filter(unit=tree.sibling).exists()
    assert stats.activities == Activity.objects.count() and stats.communes == 2
    year = today_vn().year
    spent = ledger(unit=tree.province, year=year).total_spent
    assert spent == sum(CostLine.objects.values_list("amount", flat=True)) > 0
    out = StringIO()
    call_command("activities", "summary", "--unit", tree.commune.code, "--year", str(year), stdout=out)
    assert out.getvalue().splitlines()[-1].split("\t")[:2] == ["total", "5"]
    count = Activity.objects.count()
    assert seed_activities(communes=[tree.commune, tree.sibling], commune=tree.commune).activities == 0
    assert Activity.objects.count() == count
