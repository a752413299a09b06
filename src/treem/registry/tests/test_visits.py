"""The dated household visit: "visited today" on the household page, by a village collaborator on a phone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from treem.core.dates import today_vn
from treem.registry import services
from treem.registry.models import HouseholdVisit

pytestmark = pytest.mark.django_db


def login(client, user) -> None:  # noqa: ANN001
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")


@pytest.fixture
def collaborator(tree, make_user):  # noqa: ANN001, ANN201
    return make_user("village_collaborator", tree.village)


def test_a_collaborator_records_a_visit_today_once(client, collaborator, household) -> None:  # noqa: ANN001
    login(client, collaborator)
    page = client.get(reverse("registry:household_detail", args=[household.pk]))
    assert 'data-testid="visited-today"' in page.text
    for _ in range(2):  # a second tap the same day changes nothing
        response = client.post(reverse("registry:household_visited", args=[household.pk]))
        assert response.status_code == 302
    visit = HouseholdVisit.objects.get()
    assert (visit.household, visit.visited_on, visit.visited_by) == (household, today_vn(), collaborator)
    page = client.get(reverse("registry:household_detail", args=[household.pk]))
    assert today_vn().strftime("%d/%m/%Y") in page.text


def test_out_of_scope_is_404_and_read_only_is_refused(client, household, sibling_officer, viewer) -> None:  # noqa: ANN001
    login(client, sibling_officer)
    assert client.post(reverse("registry:household_visited", args=[household.pk])).status_code == 404
    login(client, viewer)
    assert client.post(reverse("registry:household_visited", args=[household.pk])).status_code == 403
    assert not HouseholdVisit.objects.exists()


def test_a_visit_in_the_future_is_refused(officer, household) -> None:  # noqa: ANN001
    with pytest.raises(ValidationError):
        services.household_visit_record(actor=officer, household=household, on=today_vn() + dt.timedelta(days=1))
