"""Disasters and epidemics: declared on places, children who lived there then proposed and reviewed, relief rounds,
and the figures of children affected and helped (see conftest for the children).

A flood in Hon (Khun Há) from 05/10/2025 to 10/10/2025: A, E, N lived there; B had turned 16 (01/07/2025); F moved
away on 01/10/2025; D, G, I live in Lầm (not hit); H lives in Bình Lư.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from treem.accounts import roles
from treem.audit.models import AuditEvent
from treem.core.periods import Period
from treem.indicators import services as engine
from treem.indicators.models import DataValue, Indicator
from treem.support import disaster_selectors as ds
from treem.support import disaster_services as dsv
from treem.support import services
from treem.support.models import AffectedStatus, Disaster, DisasterKind, NeedKind, Programme

D = dt.date
START, END = D(2025, 10, 5), D(2025, 10, 10)


@pytest.fixture
def flood(tree, kids, officer):  # noqa: ANN001, ANN201
    return dsv.disaster_declare(
        actor=officer, kind=DisasterKind.objects.get(code="flood"), unit=tree.commune, places=[tree.village],
        started_on=START, ended_on=END, name="Lũ tháng 10 bản Hon",
    )  # fmt: skip


def _rows(disaster):  # noqa: ANN001, ANN202
    return {r.child_id: r for r in disaster.affected.all()}


def test_the_children_who_lived_in_the_places_then_are_proposed(flood, kids, officer):
    result = dsv.affected_propose(actor=officer, disaster=flood)
    assert set(_rows(flood)) == {kids.a.pk, kids.e.pk, kids.n.pk}
    assert result.added == 3
    row = _rows(flood)[kids.a.pk]
    assert (row.village_id, row.status) == (flood.places.get().pk, AffectedStatus.PROPOSED)
    assert AuditEvent.objects.filter(target_type="support_disaster", target_id=str(flood.pk)).count() == 2


def test_a_child_who_moved_in_during_the_event_is_proposed_and_one_who_left_before_is_not(tree, kids, officer):
    # F left Hon on 01/10/2025: an event from 25/09 to 02/10 finds F; one from 01/10 does not
    early = dsv.disaster_declare(
        actor=officer, kind=DisasterKind.objects.get(code="storm"), unit=tree.commune, places=[tree.village],
        started_on=D(2025, 9, 25), ended_on=D(2025, 10, 2),
    )  # fmt: skip
    late = dsv.disaster_declare(
        actor=officer, kind=DisasterKind.objects.get(code="storm"), unit=tree.commune, places=[tree.village],
        started_on=D(2025, 10, 1), ended_on=D(2025, 10, 2), name="Bão 2",
    )  # fmt: skip
    dsv.affected_propose(actor=officer, disaster=early)
    dsv.affected_propose(actor=officer, disaster=late)
    assert kids.f.pk in _rows(early) and kids.f.pk not in _rows(late)


def test_review_confirm_with_needs_not_affected_with_reason_and_proposing_again_keeps_them(flood, kids, officer):
    dsv.affected_propose(actor=officer, disaster=flood)
    rows = _rows(flood)
    food, shelter = NeedKind.objects.get(code="food"), NeedKind.objects.get(code="shelter")
    dsv.affected_review(actor=officer, row=rows[kids.a.pk], status=AffectedStatus.CONFIRMED, needs=[food, shelter])
    with pytest.raises(ValidationError):
        dsv.affected_review(actor=officer, row=rows[kids.e.pk], status=AffectedStatus.NOT_AFFECTED)
    dsv.affected_review(actor=officer, row=rows[kids.e.pk], status=AffectedStatus.NOT_AFFECTED, reason="Đi học ở huyện")
    again = dsv.affected_propose(actor=officer, disaster=flood)
    assert (again.added, again.removed, again.kept) == (1, 1, 2)
    rows = _rows(flood)
    assert rows[kids.a.pk].status == AffectedStatus.CONFIRMED
    assert set(rows[kids.a.pk].needs.values_list("code", flat=True)) == {"food", "shelter"}
    assert (rows[kids.e.pk].status, rows[kids.e.pk].reason) == (AffectedStatus.NOT_AFFECTED, "Đi học ở huyện")


def test_add_by_hand_only_a_child_of_the_declaring_unit_then(flood, kids, officer, tree):
    row = dsv.affected_add(actor=officer, disaster=flood, child=kids.d, reason="Ở nhà ông bà tại bản Hon")
    assert (row.status, row.manual, row.village.name) == (AffectedStatus.CONFIRMED, True, tree.sibling_village.name)
    with pytest.raises(ValidationError):
        dsv.affected_add(actor=officer, disaster=flood, child=kids.h, reason="Bình Lư")  # another commune
    with pytest.raises(ValidationError):
        dsv.affected_add(actor=officer, disaster=flood, child=kids.d, reason="lần hai")  # once per event


def test_declaring_and_reviewing_respect_scope(tree, kids, flood, officer, make_user):
    sibling_officer = make_user(roles.COMMUNE_OFFICER, tree.sibling)
    kind = DisasterKind.objects.get(code="flood")
    with pytest.raises(PermissionDenied):
        dsv.disaster_declare(actor=sibling_officer, kind=kind, unit=tree.commune, places=[tree.village],
                             started_on=START)  # fmt: skip
    collaborator = make_user(roles.VILLAGE_COLLABORATOR, tree.village)
    with pytest.raises(PermissionDenied):
        dsv.disaster_declare(actor=collaborator, kind=kind, unit=tree.commune, places=[tree.village], started_on=START)
    with pytest.raises(ValidationError):  # a place outside the declaring unit
        dsv.disaster_declare(actor=officer, kind=kind, unit=tree.commune, places=[tree.sibling], started_on=START)
    dsv.affected_propose(actor=officer, disaster=flood)
    with pytest.raises(PermissionDenied):
        dsv.affected_propose(actor=sibling_officer, disaster=flood)
    with pytest.raises(PermissionDenied):
        dsv.affected_review(actor=sibling_officer, row=_rows(flood)[kids.a.pk], status=AffectedStatus.CONFIRMED)


def test_a_province_event_is_seen_by_the_communes_it_hit_only(tree, kids, make_user):
    specialist = make_user(roles.PROVINCE_SPECIALIST, tree.province)
    event = dsv.disaster_declare(
        actor=specialist, kind=DisasterKind.objects.get(code="epidemic"), unit=tree.province,
        places=[tree.commune], started_on=START, name="Dịch tay chân miệng",
    )  # fmt: skip
    khun_ha, binh_lu = make_user(roles.COMMUNE_OFFICER, tree.commune), make_user(roles.COMMUNE_OFFICER, tree.sibling)
    assert list(ds.disasters_for(khun_ha)) == [event] and list(ds.disasters_for(binh_lu)) == []
    dsv.affected_propose(actor=specialist, disaster=event)
    # the whole commune: A, E, N in Hon; D, G, I in Lầm (F left before, B is 16, H lives in Bình Lư)
    assert set(_rows(event)) == {kids.a.pk, kids.e.pk, kids.n.pk, kids.d.pk, kids.g.pk, kids.i.pk}
    dsv.affected_review(actor=khun_ha, row=_rows(event)[kids.g.pk], status=AffectedStatus.CONFIRMED)
    with pytest.raises(PermissionDenied):  # Bình Lư's officer reviews no child of Khun Há
        dsv.affected_review(actor=binh_lu, row=_rows(event)[kids.a.pk], status=AffectedStatus.CONFIRMED)
    # the commune opens its own relief round for the province's event: its list is its confirmed children
    relief = Programme.objects.get(code="relief-disaster")
    r = services.round_create(actor=khun_ha, programme=relief, unit=tree.commune, on=END, disaster=event)
    services.round_generate(actor=khun_ha, round_=r)
    assert list(r.beneficiaries.values_list("child_id", flat=True)) == [kids.g.pk]


def test_pages_answer_404_outside_scope_and_show_only_the_users_children(client, tree, kids, flood, officer, make_user):
    dsv.affected_propose(actor=officer, disaster=flood)
    url = reverse("support:disaster", args=[flood.pk])
    row = _rows(flood)[kids.a.pk]
    review = reverse("support:affected_review", args=[flood.pk, row.pk])
    client.force_login(make_user(roles.COMMUNE_OFFICER, tree.sibling))
    assert client.get(url).status_code == 404
    assert client.post(review, {"status": "confirmed"}).status_code == 404
    assert client.post(reverse("support:disaster_propose", args=[flood.pk])).status_code == 404
    client.force_login(make_user(roles.VILLAGE_COLLABORATOR, tree.sibling_village))  # Lầm was not hit
    assert client.get(url).status_code == 404
    client.force_login(make_user(roles.VILLAGE_COLLABORATOR, tree.village))  # Hon: sees the event and its children
    html = client.get(url).content.decode()
    assert "Lũ tháng 10 bản Hon" in html and kids.a.full_name in html
    assert 'data-testid="review-form"' not in html and 'data-testid="relief-round-form"' not in html  # reads only
    client.force_login(officer)
    html = client.get(url).content.decode()
    assert kids.a.full_name in html and kids.h.full_name not in html
    food = NeedKind.objects.get(code="food")
    response = client.post(review, {"status": "confirmed", "needs": [food.pk]}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and f'id="row-{row.pk}"' in response.content.decode()
    row.refresh_from_db()
    assert row.status == AffectedStatus.CONFIRMED


def test_declare_page(client, tree, kids, officer):
    client.force_login(officer)
    assert client.get(reverse("support:disasters")).status_code == 200
    kind = DisasterKind.objects.get(code="landslide")
    response = client.post(reverse("support:disasters"), {
        "unit": tree.commune.pk, "kind": kind.pk, "places": [tree.village.pk, tree.sibling_village.pk],
        "started_on": "06/10/2025", "ended_on": "", "name": "",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[-3000:]
    event = Disaster.objects.get(kind=kind)
    assert response["Location"] == reverse("support:disaster", args=[event.pk])
    assert set(event.places.all()) == {tree.village, tree.sibling_village} and event.ended_on is None
    assert event.name == f"Sạt lở đất – {tree.commune.name} – 06/10/2025"


@pytest.fixture
def helped(tree, kids, flood, officer, chairman):  # noqa: ANN001, ANN201
    """A, N confirmed affected (N added back after a review), E not affected; a relief round for the flood: A and N
    listed, A received rice on 15/10/2025."""
    dsv.affected_propose(actor=officer, disaster=flood)
    rows = _rows(flood)
    dsv.affected_review(actor=officer, row=rows[kids.a.pk], status=AffectedStatus.CONFIRMED)
    dsv.affected_review(actor=officer, row=rows[kids.n.pk], status=AffectedStatus.CONFIRMED)
    dsv.affected_review(actor=officer, row=rows[kids.e.pk], status=AffectedStatus.NOT_AFFECTED, reason="Vắng nhà")
    relief = Programme.objects.get(code="relief-disaster")
    r = services.round_create(actor=officer, programme=relief, unit=tree.commune, on=D(2025, 10, 12), disaster=flood)
    services.round_generate(actor=officer, round_=r)
    services.round_approve(actor=chairman, round_=r)
    data = services.DeliveryInput(item="Gạo 20 kg", value=400_000, delivered_on=D(2025, 10, 15), delivered_by="UBND")
    services.delivery_record(actor=officer, beneficiary=r.beneficiaries.get(child=kids.a), data=data)
    return r


def test_a_relief_round_lists_the_confirmed_children_and_its_deliveries_are_the_help(helped, flood, kids, officer):
    assert set(helped.beneficiaries.values_list("child_id", flat=True)) == {kids.a.pk, kids.n.pk}
    assert "Lũ tháng 10 bản Hon" in helped.beneficiaries.get(child=kids.a).reason
    counts = ds.counts(ds.affected_rows(officer, flood))
    assert (counts.confirmed, counts.not_affected, counts.helped) == (2, 1, 1)
    assert list(ds.deliveries_for(flood, [kids.a.pk])[kids.a.pk])[0].item == "Gạo 20 kg"


def test_a_relief_round_belongs_to_the_declaring_unit(tree, flood, officer, make_user):
    relief = Programme.objects.get(code="relief-disaster")
    with pytest.raises((ValidationError, PermissionDenied)):
        services.round_create(actor=officer, programme=relief, unit=tree.sibling, on=END, disaster=flood)
    with pytest.raises(ValidationError):
        services.round_create(actor=officer, programme=relief, unit=tree.commune, on=D(2025, 9, 1), disaster=flood)


def values(code: str, unit, period: str) -> dict[str, float]:  # noqa: ANN001
    qs = DataValue.objects.filter(indicator__code=code, unit=unit, period=period)
    return dict(qs.values_list("disagg", "value"))


def test_affected_and_helped_are_computed_and_a_child_counts_once(helped, tree, kids, officer, chairman):
    assert Indicator.objects.get(code="children_disaster_helped").source == "computed"
    # a second event in November hits A again, and A receives again: still one child
    storm = dsv.disaster_declare(
        actor=officer, kind=DisasterKind.objects.get(code="storm"), unit=tree.commune, places=[tree.village],
        started_on=D(2025, 11, 3), ended_on=D(2025, 11, 4),
    )  # fmt: skip
    dsv.affected_add(actor=officer, disaster=storm, child=kids.a, reason="Nhà tốc mái")
    relief = Programme.objects.get(code="relief-disaster")
    r = services.round_create(actor=officer, programme=relief, unit=tree.commune, on=D(2025, 11, 5), disaster=storm)
    services.round_generate(actor=officer, round_=r)
    services.round_approve(actor=chairman, round_=r)
    data = services.DeliveryInput(item="Tôn", value=0, delivered_on=D(2025, 11, 6), delivered_by="UBND")
    services.deliveries_record_all(actor=officer, round_=r, data=data)
    # a gift of another programme to N is no help for the flood
    gift = Programme.objects.get(code="gift-special")
    g = services.round_create(actor=officer, programme=gift, unit=tree.commune, on=D(2025, 10, 20))
    services.beneficiary_add(actor=officer, round_=g, child=kids.n, reason="Khó khăn")
    services.round_approve(actor=chairman, round_=g)
    data = services.DeliveryInput(item="Quà", value=100_000, delivered_on=D(2025, 10, 21), delivered_by="UBND")
    services.deliveries_record_all(actor=officer, round_=g, data=data)
    engine.compute(Period.parse("2025S2"), [tree.province])
    affected = values("children_disaster_affected", tree.commune, "2025S2")
    got = values("children_disaster_helped", tree.commune, "2025S2")
    assert affected[""] == 2  # A (twice hit, once counted) and N
    assert got[""] == 1 and got["sex=F"] == 1  # A only
    assert got["age_group=6-10;sex=F"] == 1  # A was 10 on 05/10/2025
    assert values("children_disaster_helped", tree.village, "2025S2")[""] == 1
    engine.compute(Period.parse("2025S1"), [tree.province])
    assert values("children_disaster_affected", tree.commune, "2025S1").get("", 0) == 0
