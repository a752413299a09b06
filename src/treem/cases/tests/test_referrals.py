"""A case referred to a provider of the directory: a disclosure with its consents and a service event; the
provider's users see the referrals made to their provider only (404 otherwise), and only what the referral
discloses, and acknowledge them; the case team may record an acknowledgement received by phone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from treem.accounts import roles
from treem.audit.models import AuditEvent
from treem.cases import referrals
from treem.cases.models import Disclosure, EventKind, Referral
from treem.core.dates import today_vn
from treem.directory.tests.factories import make_provider

pytestmark = pytest.mark.django_db


def login(client, user) -> None:  # noqa: ANN001
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")


@pytest.fixture
def centre(tree, make_user):  # noqa: ANN001, ANN201
    """The province's social work centre, with one user account linked to it."""
    provider = make_provider(tree.province, "social_work_centre", "Trung tâm Công tác xã hội tỉnh")
    provider.users.add(make_user(roles.AGENCY_REPORTER, tree.province, username="ctxh"))
    return provider


def _refer(worker, case, provider, **kw) -> Referral:  # noqa: ANN001
    today = today_vn()
    values = {
        "service": "Tham vấn tâm lý", "summary": "Em cần được tham vấn sau khi bỏ học.", "referred_on": today,
        "parent_consent_name": "Sùng A Páo", "parent_consent_on": today, "child_consent_on": today,
    } | kw  # fmt: skip
    return referrals.referral_make(actor=worker, case=case, provider=provider, **values)


def test_a_referral_picked_on_the_case_is_acknowledged_by_the_providers_user(client, worker, case, centre) -> None:  # noqa: ANN001
    login(client, worker)
    page = client.get(reverse("cases:referral_add", args=[case.pk]))
    assert page.status_code == 200 and centre.name in page.text
    today = today_vn().strftime("%d/%m/%Y")
    response = client.post(reverse("cases:referral_add", args=[case.pk]), {
        "provider": centre.pk, "service": "Tham vấn tâm lý", "summary": "Cần tham vấn.", "referred_on": today,
        "parent_consent_name": "Sùng A Páo", "parent_consent_on": today, "child_consent_on": today,
    })  # fmt: skip
    assert response.status_code == 302, response.content
    referral = Referral.objects.get(case=case)
    assert referral.event.kind == EventKind.SERVICE and referral.disclosure.recipient.startswith(centre.name)
    assert not referral.is_acknowledged
    assert "referral-waiting" in client.get(reverse("cases:detail", args=[case.pk])).text

    provider_user = centre.users.get()
    login(client, provider_user)
    inbox = client.get(reverse("cases:referral_inbox"))
    assert inbox.status_code == 200 and "Sùng Thị Sua" in inbox.text
    listed = AuditEvent.objects.get(actor=provider_user, action="list")  # the inbox is a read of the case too
    assert listed.target_type == "case" and listed.extra["referrals"] == [referral.pk]
    page = client.get(reverse("cases:referral_received", args=[referral.pk]))
    assert page.status_code == 200
    assert "Cần tham vấn." in page.text and "Sùng Thị Sua" in page.text and "2013" in page.text
    assert case.description not in page.text and case.code not in page.text  # nothing else of the case
    assert AuditEvent.objects.filter(actor=provider_user, action="view", target_id=str(case.pk)).exists()
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404  # the case itself stays closed
    response = client.post(reverse("cases:referral_received", args=[referral.pk]), {"acknowledged_on": today})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.acknowledged_on == today_vn() and referral.acknowledged_via == "system"
    assert referral.acknowledged_by == provider_user
    assert AuditEvent.objects.filter(actor=provider_user, action="change", target_id=str(case.pk)).exists()
    login(client, worker)
    assert "referral-acknowledged" in client.get(reverse("cases:detail", args=[case.pk])).text


def test_other_users_get_404_for_a_referral(client, tree, worker, case, centre, make_user) -> None:  # noqa: ANN001
    referral = _refer(worker, case, centre)
    other_centre = make_provider(tree.province, "health_facility", "Bệnh viện tỉnh")
    other_user = make_user(roles.AGENCY_REPORTER, tree.province, username="bvtinh")
    other_centre.users.add(other_user)
    unlinked = make_user(roles.AGENCY_REPORTER, tree.province, username="congan")
    for user in (other_user, unlinked, worker):
        login(client, user)
        assert client.get(reverse("cases:referral_received", args=[referral.pk])).status_code == 404
        response = client.post(
            reverse("cases:referral_received", args=[referral.pk]), {"acknowledged_on": "01/01/2025"}
        )
        assert response.status_code == 404
    login(client, other_user)
    assert referral.shared["child_name"] not in client.get(reverse("cases:referral_inbox")).text
    login(client, unlinked)
    assert client.get(reverse("cases:referral_inbox")).status_code == 404
    with pytest.raises(PermissionDenied):
        referrals.referral_acknowledge(actor=other_user, referral=referral, acknowledged_on=today_vn())
    referral.refresh_from_db()
    assert not referral.is_acknowledged


def test_a_referral_needs_the_consents_and_a_provider_serving_the_commune(tree, worker, case, centre) -> None:  # noqa: ANN001
    with pytest.raises(ValidationError) as exc:
        _refer(worker, case, centre, child_consent_on=None)  # the child is 13: her own consent is required
    assert "child_consent_on" in exc.value.message_dict
    elsewhere = make_provider(tree.other_province, "social_work_centre", "Trung tâm tỉnh khác")
    with pytest.raises(ValidationError) as exc:
        _refer(worker, case, elsewhere)
    assert "provider" in exc.value.message_dict
    assert not Referral.objects.exists() and not Disclosure.objects.exists()


def test_only_the_assigned_workers_refer(tree, case, centre, make_user) -> None:  # noqa: ANN001
    chairman = make_user(roles.COMMUNE_CHAIRMAN, tree.commune)
    with pytest.raises(PermissionDenied):
        _refer(chairman, case, centre)


def test_the_team_records_an_acknowledgement_by_phone_once(client, worker, case, centre) -> None:  # noqa: ANN001
    before = today_vn() - dt.timedelta(days=3)
    referral = _refer(worker, case, centre, referred_on=before, parent_consent_on=before, child_consent_on=before)
    login(client, worker)
    url = reverse("cases:referral_acknowledge", args=[case.pk, referral.pk])
    day = (today_vn() - dt.timedelta(days=5)).strftime("%d/%m/%Y")  # before the referral: refused
    client.post(url, {"via": "phone", "name": "Chị Lan", "acknowledged_on": day})
    referral.refresh_from_db()
    assert not referral.is_acknowledged
    day = (today_vn() - dt.timedelta(days=2)).strftime("%d/%m/%Y")
    assert client.post(url, {"via": "phone", "name": "Chị Lan", "acknowledged_on": day}).status_code == 302
    referral.refresh_from_db()
    assert referral.acknowledged_via == "phone" and referral.acknowledged_name == "Chị Lan"
    with pytest.raises(ValidationError):
        referrals.referral_acknowledge(actor=centre.users.get(), referral=referral, acknowledged_on=today_vn())


def test_the_case_page_links_only_to_the_providers_its_reader_may_open(client, tree, worker, case, centre) -> None:  # noqa: ANN001
    """The province's centre is out of a commune worker's directory (404 there): the case page names it without a
    link that would answer 404; a provider of the commune is linked."""
    station = make_provider(tree.commune, "health_facility", "Trạm y tế xã")
    _refer(worker, case, centre)
    _refer(worker, case, station)
    login(client, worker)
    page = client.get(reverse("cases:detail", args=[case.pk])).text
    assert centre.name in page and station.name in page
    assert reverse("directory:detail", args=[centre.pk]) not in page
    station_url = reverse("directory:detail", args=[station.pk])
    assert station_url in page and client.get(station_url).status_code == 200


def test_the_inbox_reads_in_as_many_queries_for_many_referrals_as_for_one(client, worker, case, centre) -> None:  # noqa: ANN001
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, centre.users.get())
    counts = []
    for _n in range(2):
        _refer(worker, case, centre)
        _refer(worker, case, centre)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("cases:referral_inbox")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
