"""The database unreachable: every page answers 503 with a page that says so (the data entered was not saved, try
again shortly), in the user's language, logged, no traceback; any other server error stays the plain 500 page."""

from __future__ import annotations

import logging
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.urls import reverse

from treem.accounts.tests.helpers import login
from treem.registry import services
from treem.registry.models import Household

VI = "Không kết nối được với cơ sở dữ liệu"
EN = "The database cannot be reached"


@pytest.fixture
def household(tree, officer):  # noqa: ANN001, ANN201
    return services.household_create(
        actor=officer, commune=tree.commune, village=tree.village, head_name="Sùng A Páo", code="HH-001"
    )


def down(error: Exception) -> mock._patch:
    return mock.patch.object(BaseDatabaseWrapper, "ensure_connection", side_effect=error)


@pytest.mark.django_db
@pytest.mark.parametrize("error", [OperationalError("unable to open database file"), InterfaceError("closed")])
def test_a_page_and_a_form_get_the_503_page_when_the_database_is_down(
    officer, household, caplog: pytest.LogCaptureFixture, error: Exception
) -> None:  # noqa: ANN001
    client = Client(raise_request_exception=False)
    login(client, officer)
    url = reverse("registry:household_edit", args=[household.pk])
    with down(error), caplog.at_level(logging.ERROR, logger="django.request"):
        page = client.get(reverse("registry:child_list"))
        sent = client.post(url, {"head_name": "Lò Văn Mới"})
    for response in (page, sent):
        assert response.status_code == 503
        text = response.content.decode()
        assert VI in text and "Traceback" not in text and "OperationalError" not in text
        assert "chưa được lưu" in text  # the data entered was not saved
        assert response["Retry-After"]
    logged = [r for r in caplog.records if r.name == "django.request"]
    assert {r.status_code for r in logged} == {503} and {r.getMessage() for r in logged} == {
        "Service Unavailable: /registry/children/",
        f"Service Unavailable: {url}",
    }
    assert all(r.exc_info for r in caplog.records if getattr(r, "status_code", None) == 503)
    assert Household.objects.get(pk=household.pk).head_name == "Sùng A Páo"  # intact once the database is back
    assert client.get(reverse("registry:child_list")).status_code == 200


@pytest.mark.django_db
def test_the_page_speaks_english_to_an_english_user(officer) -> None:  # noqa: ANN001
    client = Client(raise_request_exception=False, headers={"Accept-Language": "en"})
    client.cookies["django_language"] = "en"
    login(client, officer)
    with down(OperationalError("connection refused")):
        response = client.get(reverse("registry:child_list"))
    assert response.status_code == 503 and EN in response.content.decode()


@pytest.mark.django_db
def test_another_server_error_stays_the_500_page(officer) -> None:  # noqa: ANN001
    client = Client(raise_request_exception=False)
    login(client, officer)
    with mock.patch("treem.registry.views.render", side_effect=RuntimeError("a bug")):
        response = client.get(reverse("registry:child_list"))
    assert response.status_code == 500 and VI not in response.content.decode()


@pytest.mark.django_db
def test_the_api_gets_its_json_error() -> None:
    with down(OperationalError("connection refused")):
        response = Client(raise_request_exception=False).get(
            "/api/children", headers={"Authorization": "Bearer trm_abcdefgh_0123456789"}
        )
    assert response.status_code == 503 and response["Retry-After"]
    assert response.json()["code"] == "database_unavailable"
