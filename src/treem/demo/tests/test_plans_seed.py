"""The demo's plans: the province's plan of the year with tasks for agencies (one overdue), the Month of Action with
its theme and children, the education reporter linked to the department; added once."""

from __future__ import annotations

import pytest

from treem.accounts import roles
from treem.core.dates import today_vn
from treem.demo.plans import MONTH_OF_ACTION_THEME, seed_plans
from treem.plans.models import Plan, Task
from treem.plans.selectors import tasks_for_user, with_overdue
from treem.registry.tests.conftest import child, household

pytestmark = pytest.mark.django_db
__all__ = ["child", "household"]


@pytest.fixture
def demo_users(tree, make_user):  # noqa: ANN001, ANN201
    make_user(roles.PROVINCE_SPECIALIST, tree.province, username="tinh.laichau")
    make_user(roles.COMMUNE_OFFICER, tree.commune, username="canbo.khunha")
    return make_user(roles.AGENCY_REPORTER, tree.province, username="sgd.laichau")


def test_seed_plans(tree, demo_users, child) -> None:  # noqa: ANN001
    stats = seed_plans(province=tree.province, commune=tree.commune)
    today = today_vn()
    plan = Plan.objects.get(unit=tree.province, year=today.year)
    assert plan.programme is not None and plan.programme.start_year == 2021 and plan.programme.end_year == 2030
    tasks = list(with_overdue(plan.tasks.select_related("agency"), today))
    assert stats.overdue == 1 == sum(t.overdue for t in tasks)  # type: ignore[attr-defined]
    assert any(t.status == "in_progress" for t in tasks)
    assert len({t.agency_id for t in tasks if t.agency_id}) >= 5
    month = Task.objects.get(plan=plan, event_kind__code="month_of_action")
    assert month.theme == MONTH_OF_ACTION_THEME
    assert list(month.participants.values_list("child", flat=True)) == [child.pk]
    mine = tasks_for_user(demo_users)
    assert mine.exists() and set(mine.values_list("agency__kind__code", flat=True)) == {"education"}
    # a second run adds nothing
    seed_plans(province=tree.province, commune=tree.commune)
    assert Task.objects.filter(plan__unit=tree.province).count() == len(tasks)
