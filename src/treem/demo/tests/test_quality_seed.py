"""The demo's data quality: communes that differ, this month's snapshot and five earlier months; added once."""

from __future__ import annotations

import pytest

from treem.accounts import roles
from treem.demo import quality as demo_quality
from treem.demo import registry
from treem.demo.units import DemoArea
from treem.quality import selectors
from treem.quality.models import Snapshot
from treem.registry.models import HouseholdVisit, IdCheck

pytestmark = pytest.mark.django_db


def test_communes_differ_and_the_trend_has_months(tree, make_user, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(registry, "demo_areas", lambda: [DemoArea(tree.province, [tree.commune, tree.sibling])])
    officer = make_user(roles.COMMUNE_OFFICER, tree.commune, username="canbo.khunha")
    admin = make_user(roles.SYSTEM_ADMIN, tree.nation, username="quantri", is_superuser=True)
    registry.seed_registry(children=120, actor=officer)
    communes = [tree.commune, tree.sibling]
    assert demo_quality.seed_quality(province=tree.province, communes=communes, actor=admin) == 2
    assert HouseholdVisit.objects.exists() and IdCheck.objects.exists()
    specialist = make_user(roles.PROVINCE_SPECIALIST, tree.province)
    ranked = selectors.table(specialist)
    assert [f.commune for f in ranked] == [tree.sibling, tree.commune]  # the diligent Khun Há is the better one
    assert ranked[0].score > ranked[1].score
    months = selectors.trend(specialist)
    assert len(months) == demo_quality.PAST_MONTHS + 1
    assert months[0].figures.score > months[-1].figures.score  # better over time
    rows = Snapshot.objects.count()
    assert demo_quality.seed_quality(province=tree.province, communes=communes, actor=admin) == 0
    assert Snapshot.objects.count() == rows
