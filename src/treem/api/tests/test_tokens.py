"""Tokens: hashed at rest, refused when revoked, expired, wrong or of an inactive user; made and revoked on the
tokens page and by `treem api token`."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from treem.api.models import ApiToken
from treem.api.tokens import token_create, token_revoke

pytestmark = pytest.mark.django_db


def _whoami(client, token: str):  # noqa: ANN001, ANN202
    return client.get("/api/units", headers={"Authorization": f"Bearer {token}"})


def test_the_table_never_holds_the_clear_token(officer) -> None:  # noqa: ANN001
    new = token_create(user=officer, days=5)
    secret = new.clear.rsplit("_", 1)[1]
    for row in ApiToken.objects.values():
        for value in row.values():
            assert new.clear not in str(value)
            assert secret not in str(value)
    assert len(new.token.digest) == 64


def test_a_live_token_works_and_a_wrong_one_is_refused(client, officer) -> None:  # noqa: ANN001
    new = token_create(user=officer, days=5)
    assert _whoami(client, new.clear).status_code == 200
    wrong = new.clear[:-2] + ("AA" if not new.clear.endswith("AA") else "BB")
    response = _whoami(client, wrong)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"
    assert _whoami(client, "").status_code == 401
    assert client.get("/api/units").status_code == 401


def test_a_revoked_token_is_refused(client, officer) -> None:  # noqa: ANN001
    new = token_create(user=officer, days=5)
    token_revoke(token=new.token, actor=officer)
    assert _whoami(client, new.clear).status_code == 401


def test_an_expired_token_is_refused(client, officer) -> None:  # noqa: ANN001
    new = token_create(user=officer, days=5)
    ApiToken.objects.filter(pk=new.token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert _whoami(client, new.clear).status_code == 401


def test_an_inactive_users_token_is_refused(client, officer) -> None:  # noqa: ANN001
    new = token_create(user=officer, days=5)
    officer.is_active = False
    officer.save()
    assert _whoami(client, new.clear).status_code == 401


def test_the_command_prints_a_working_token(client, officer) -> None:  # noqa: ANN001
    out = io.StringIO()
    call_command("api", "token", officer.username, "--days", "3", stdout=out)
    clear = out.getvalue().strip()
    assert clear.startswith("trm_")
    assert _whoami(client, clear).status_code == 200
    token = ApiToken.objects.get()
    assert dt.timedelta(days=2) < token.expires_at - timezone.now() <= dt.timedelta(days=3)


def test_the_tokens_page_makes_shows_once_and_revokes(client, officer, sibling_officer) -> None:  # noqa: ANN001
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(reverse("api_tokens:new"), {"name": "Báo cáo tỉnh", "days": "30"})
    assert response.status_code == 200
    clear = response.context["new_token"]
    assert clear in response.text
    page = client.get(reverse("api_tokens:list"))
    assert clear not in page.text  # shown only once
    token = ApiToken.objects.get(user=officer)
    assert _whoami(client, clear).status_code == 200
    client.force_login(sibling_officer, backend="django.contrib.auth.backends.ModelBackend")
    assert client.post(reverse("api_tokens:revoke", args=[token.pk])).status_code == 404  # not theirs
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    assert client.post(reverse("api_tokens:revoke", args=[token.pk])).status_code == 302
    client.logout()
    assert _whoami(client, clear).status_code == 401
