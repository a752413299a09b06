"""API tokens of users who need the second factor (accounts.twofactor): made from a verified session only, and
accepted only when made after the user's device was confirmed (so a reset device voids the older tokens)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from treem.accounts import roles
from treem.accounts.tests.helpers import login, otp_device
from treem.accounts.twofactor import device_reset
from treem.api.models import ApiToken
from treem.api.tokens import token_create

pytestmark = pytest.mark.django_db


def _units(client, token: str):  # noqa: ANN001, ANN202
    return client.get("/api/units", headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def case_worker(tree, make_user):  # noqa: ANN001, ANN201
    return make_user(roles.CASE_WORKER, tree.commune)


def test_an_unverified_session_makes_no_token_and_reads_no_api(client, case_worker) -> None:  # noqa: ANN001
    client.force_login(case_worker, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(reverse("api_tokens:new"), {"name": "script", "days": 30})
    assert response.status_code == 302 and response.url == reverse("accounts:otp_enrol")
    assert not ApiToken.objects.filter(user=case_worker).exists()
    api = client.get("/api/units")  # the browser session's own access to the API
    assert api.status_code == 401 and api.json()["code"] == "second_factor_required"


def test_a_token_made_before_the_device_is_refused(client, case_worker) -> None:  # noqa: ANN001
    early = token_create(user=case_worker, days=5)  # e.g. `treem api token` before the user set up the app
    assert _units(client, early.clear).status_code == 401
    otp_device(case_worker)
    assert _units(client, early.clear).status_code == 401  # still: it was not made from a verified session
    assert _units(client, token_create(user=case_worker, days=5).clear).status_code == 200


def test_a_token_from_a_verified_session_works_until_the_device_is_reset(client, case_worker, tree, make_user) -> None:  # noqa: ANN001
    login(client, case_worker)
    page = client.post(reverse("api_tokens:new"), {"name": "script", "days": 30})
    assert page.status_code == 200
    clear = page.context["new_token"]
    client.logout()
    assert _units(client, clear).status_code == 200
    admin = make_user(roles.PROVINCE_ADMIN, tree.province)
    device_reset(actor=admin, user=case_worker)
    assert _units(client, clear).status_code == 401


def test_the_command_warns_when_the_token_cannot_work_yet(case_worker) -> None:  # noqa: ANN001
    out, err = io.StringIO(), io.StringIO()
    call_command("api", "token", case_worker.username, stdout=out, stderr=err)
    assert out.getvalue().startswith("trm_") and "two-factor" in err.getvalue()
