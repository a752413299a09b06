"""Free text has a length limit, in the forms and in the services' model validation."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from treem.core.text import NOTE_MAX_LENGTH
from treem.registry import services
from treem.registry.models import Household

pytestmark = pytest.mark.django_db


def test_a_note_longer_than_the_limit_is_refused_by_the_form(client, officer, household) -> None:  # noqa: ANN001
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    data = {"village": household.village_id, "head_name": "Sùng A Páo", "address": "", "code": "HH-001", "phone": ""}
    response = client.post(reverse("registry:household_edit", args=[household.pk]), {**data, "note": "x" * 100_000})
    assert response.status_code == 200 and response.context["form"].errors["note"]
    assert Household.objects.get(pk=household.pk).note == ""
    response = client.post(reverse("registry:household_edit", args=[household.pk]), {**data, "note": "x" * 4000})
    assert response.status_code == 302 and len(Household.objects.get(pk=household.pk).note) == NOTE_MAX_LENGTH


def test_a_note_longer_than_the_limit_is_refused_by_the_service(officer, household) -> None:  # noqa: ANN001
    with pytest.raises(ValidationError) as info:
        services.household_update(actor=officer, household=household, note="x" * (NOTE_MAX_LENGTH + 1))
    assert "note" in info.value.message_dict
