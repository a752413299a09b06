"""The audit search refuses dates outside the sane range instead of failing with an OverflowError."""

from __future__ import annotations

import pytest
from django.urls import reverse

from treem.accounts import roles

pytestmark = pytest.mark.django_db


def test_audit_search_with_absurd_dates_is_a_form_error(client, tree, make_user) -> None:  # noqa: ANN001
    client.force_login(make_user(roles.AUDITOR, tree.province), backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("audit:search"), {"start": "01/01/0001", "end": "31/12/9999"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["start"] and errors["end"]
