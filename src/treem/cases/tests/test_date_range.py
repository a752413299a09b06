"""Dates outside the sane range are a form error, never a server error (OverflowError on 01/01/0001)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from treem.cases.models import Case
from treem.cases.tests.test_views import login
from treem.cases.tests.test_views_intake import intake_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("day", ["01/01/0001", "31/12/9999", "31/12/1899"])
def test_intake_with_an_absurd_date_is_a_form_error(client, officer, child, day) -> None:  # noqa: ANN001
    login(client, officer)
    response = client.post(reverse("cases:intake"), intake_data(child=child.pk, on=day, hour="08:00"))
    assert response.status_code == 200
    assert "Ngày phải trong khoảng từ 01/01/1900 đến 31/12/2100" in response.context["form"].errors["on"][0]
    assert not Case.objects.exists()
