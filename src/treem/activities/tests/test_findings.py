"""A finding of an inspection is marked remedied on the activity's page (the report counts the remedied ones)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from treem.activities import services
from treem.activities.models import Finding
from treem.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def finding(setup) -> Finding:  # noqa: ANN001
    return services.finding_add(actor=setup.doctor, activity=setup.clinic_inspection, text="Chưa có sổ theo dõi trẻ em")


def _url(finding: Finding) -> str:
    return reverse("activities:finding_done", args=[finding.activity_id, finding.pk])


def test_the_page_offers_the_remedy_and_stores_its_date(client, setup, finding) -> None:  # noqa: ANN001
    client.force_login(setup.doctor)
    page = client.get(reverse("activities:activity_detail", args=[setup.clinic_inspection.pk])).content.decode()
    assert _url(finding) in page
    response = client.post(_url(finding), {"done_on": "05/03/2025"})
    assert response.status_code == 302
    finding.refresh_from_db()
    assert f"{finding.done_on:%d/%m/%Y}" == "05/03/2025"
    assert AuditEvent.objects.filter(summary__contains="05/03/2025").exists()
    page = client.get(reverse("activities:activity_detail", args=[setup.clinic_inspection.pk])).content.decode()
    assert _url(finding) not in page  # remedied: nothing more to mark


def test_a_future_date_is_refused_with_a_message(client, setup, finding) -> None:  # noqa: ANN001
    client.force_login(setup.doctor)
    response = client.post(_url(finding), {"done_on": "01/01/2099"}, follow=True)
    finding.refresh_from_db()
    assert finding.done_on is None
    assert "tương lai" in response.content.decode()


def test_another_agency_and_another_activity_answer_404(client, setup, finding) -> None:  # noqa: ANN001
    client.force_login(setup.teacher)
    assert client.post(_url(finding), {"done_on": "05/03/2025"}).status_code == 404
    client.force_login(setup.doctor)
    wrong = reverse("activities:finding_done", args=[setup.school_training.pk, finding.pk])
    assert client.post(wrong, {"done_on": "05/03/2025"}).status_code == 404
    finding.refresh_from_db()
    assert finding.done_on is None
