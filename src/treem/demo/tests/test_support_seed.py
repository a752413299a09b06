"""The demo's gift rounds: generated from the rules, approved, handed out, feeding the indicator; added once."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from treem.accounts import roles
from treem.demo import registry
from treem.demo import support as demo_support
from treem.demo.units import DemoArea
from treem.support.models import AffectedStatus, Delivery, Disaster, Donation, Round, RoundStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def khun_ha(tree, make_user, monkeypatch) -> SimpleNamespace:  # noqa: ANN001
    demo = [DemoArea(tree.province, [tree.commune, tree.sibling]), DemoArea(tree.other_province, [tree.far_commune])]
    monkeypatch.setattr(registry, "demo_areas", lambda: demo)
    officer = make_user(roles.COMMUNE_OFFICER, tree.commune, username="canbo.khunha")
    chairman = make_user(roles.COMMUNE_CHAIRMAN, tree.commune, username="chutich.khunha")
    registry.seed_registry(children=300, actor=officer)
    return SimpleNamespace(commune=tree.commune, officer=officer, chairman=chairman)


def test_gift_rounds_are_approved_and_handed_out_once(khun_ha) -> None:  # noqa: ANN001
    stats = demo_support.seed_support(commune=khun_ha.commune, officer=khun_ha.officer, chairman=khun_ha.chairman)
    assert stats.rounds == 2 and stats.listed > 0
    assert set(Round.objects.values_list("status", flat=True)) == {RoundStatus.APPROVED}
    gifts = Round.objects.filter(disaster__isnull=True)
    latest = gifts.order_by("-on").first()
    waiting = latest.beneficiaries.filter(delivery__isnull=True).count()
    assert waiting == 1 and Delivery.objects.filter(beneficiary__round__in=gifts).count() == stats.delivered
    assert Donation.objects.count() == 2
    client = Client()
    client.force_login(khun_ha.officer, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("support:round", args=[latest.pk])).content.decode()
    assert 'data-testid="delivered"' in page and 'data-testid="deliver-form"' in page
    again = demo_support.seed_support(commune=khun_ha.commune, officer=khun_ha.officer, chairman=khun_ha.chairman)
    assert again.rounds == 0 and Round.objects.count() == 3 and Donation.objects.count() == 2  # 2 gifts, 1 relief


def test_the_flood_has_affected_children_some_helped_through_the_relief_round(khun_ha) -> None:  # noqa: ANN001
    helped = demo_support.seed_flood(commune=khun_ha.commune, officer=khun_ha.officer, chairman=khun_ha.chairman)
    flood = Disaster.objects.get()
    statuses = set(flood.affected.values_list("status", flat=True))
    assert statuses == {AffectedStatus.PROPOSED, AffectedStatus.CONFIRMED, AffectedStatus.NOT_AFFECTED}
    relief = flood.rounds.get()
    assert relief.beneficiaries.count() == flood.affected.filter(status=AffectedStatus.CONFIRMED).count()
    assert helped == relief.beneficiaries.count() - 2 > 0
    assert demo_support.seed_flood(commune=khun_ha.commune, officer=khun_ha.officer, chairman=khun_ha.chairman) == 0
