"""/healthz: 200 with the database answering, 503 without; no login, any Host, no HTTPS redirect, no personal data."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client, override_settings


@pytest.mark.django_db
def test_health_is_ok_without_login_when_the_database_answers() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["version"] and set(body) == {"status", "database", "version"}
    assert response["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers  # no session started


@pytest.mark.django_db
def test_health_is_503_when_the_database_does_not_answer() -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OperationalError("connection refused")

    with mock.patch.object(connection, "cursor", side_effect=refuse):
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable" and response.json()["database"] == "unavailable"


@pytest.mark.django_db
def test_health_answers_an_unknown_host_and_plain_http_behind_https() -> None:
    with override_settings(SECURE_SSL_REDIRECT=True, ALLOWED_HOSTS=["treem.example.gov.vn"]):
        response = Client().get("/healthz", headers={"Host": "10.0.0.7:8000"})
        assert response.status_code == 200
        assert Client().get("/accounts/login/", headers={"Host": "treem.example.gov.vn"}).status_code == 301


@pytest.mark.django_db
def test_only_get_and_head_are_answered_by_the_health_check() -> None:
    assert Client().head("/healthz").status_code == 200
    assert Client().post("/healthz").status_code != 200
