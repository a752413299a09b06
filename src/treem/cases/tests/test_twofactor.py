"""A case worker reaches a case only after the second factor (accounts.twofactor): enrol first, then the code."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from treem.accounts import roles
from treem.accounts.tests.factories import PASSWORD
from treem.accounts.tests.helpers import code
from treem.cases import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_worker(case, worker, tree, make_user):  # noqa: ANN001, ANN201
    """A case worker of the commune, assigned to the case by the officer who opened it."""
    user = make_user(roles.CASE_WORKER, tree.commune)
    services.case_assign(actor=worker, case=case, worker=user)
    return user


def test_a_case_worker_enrols_before_reaching_the_case(client, case, case_worker) -> None:  # noqa: ANN001
    page = reverse("cases:detail", args=[case.pk])
    client.post(reverse("accounts:login"), {"username": case_worker.username, "password": PASSWORD})
    response = client.get(page)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:otp_enrol"))
    assert b"Em ngh" not in response.content

    enrol = client.get(response.url)
    assert enrol.status_code == 200
    device = TOTPDevice.objects.get(user=case_worker, confirmed=False)
    wrong = client.post(response.url, {"token": code(device, steps=10), "next": page})
    assert wrong.status_code == 422
    assert client.get(page).status_code == 302  # a wrong code opens nothing

    device.throttle_reset()
    done = client.post(response.url, {"token": code(device), "next": page})
    assert done.status_code == 302 and done.url == page
    detail = client.get(page)
    assert detail.status_code == 200 and detail.context["case"] == case
