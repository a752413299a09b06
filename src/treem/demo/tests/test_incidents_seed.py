"""The demo's season of injuries: more drownings in summer, two drowning deaths and one from illness; added once;
the figures are computed from them."""

from __future__ import annotations

from collections import Counter

import pytest

from treem.accounts import roles
from treem.core.periods import Period
from treem.demo import incidents as demo_incidents
from treem.demo import registry
from treem.demo.units import DemoArea
from treem.indicators import services as engine
from treem.indicators.models import DataValue
from treem.registry.models import Child, ChildStatus, Incident

pytestmark = pytest.mark.django_db


def test_a_season_of_incidents_is_seeded_once(tree, make_user, monkeypatch) -> None:  # noqa: ANN001
    demo = [DemoArea(tree.province, [tree.commune, tree.sibling])]
    monkeypatch.setattr(registry, "demo_areas", lambda: demo)
    officer = make_user(roles.COMMUNE_OFFICER, tree.commune, username="canbo.khunha")
    collaborator = make_user(roles.VILLAGE_COLLABORATOR, tree.village, username="ctv.banhon")
    admin = make_user(roles.SYSTEM_ADMIN, tree.nation, username="quantri", is_superuser=True)
    registry.seed_registry(children=300, actor=officer)
    communes = [tree.commune, tree.sibling]
    stats = demo_incidents.seed_incidents(communes=communes, officer=officer, collaborator=collaborator, admin=admin)
    assert stats.incidents == Incident.objects.count() > 10
    assert stats.deaths == 3
    assert Child.objects.filter(status=ChildStatus.DECEASED, death_cause="injury").count() == 2
    assert Child.objects.filter(status=ChildStatus.DECEASED, death_cause="illness").count() == 1
    drownings = Counter(Incident.objects.filter(kind__code="drowning").values_list("occurred_on__month", flat=True))
    summer = sum(n for m, n in drownings.items() if m in demo_incidents.SUMMER)
    assert summer > sum(drownings.values()) - summer
    again = demo_incidents.seed_incidents(communes=communes, officer=officer, collaborator=collaborator, admin=admin)
    assert again.incidents == 0
    first = Incident.objects.order_by("occurred_on").first()
    period = Period.containing(first.occurred_on, Period.parse("2025").kind)
    engine.compute(period, [tree.province])
    assert DataValue.objects.filter(indicator__code="child_injuries", unit=tree.province, period=str(period)).exists()
