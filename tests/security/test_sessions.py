"""Sessions: a new session key at login (no fixation), nothing left of a session after logout, a password change or
reset and a deactivation end the other sessions, the lock-out after repeated failures, the password policy."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from treem.accounts import roles
from treem.accounts.tests.factories import PASSWORD

from .conftest import sign_in

pytestmark = pytest.mark.django_db

HOME = "/"
NEW = "an-entirely-new-passphrase-42"


def login(client: Client, username: str, password: str = PASSWORD) -> int:
    return client.post(reverse("accounts:login"), {"username": username, "password": password}).status_code


def signed_in(client: Client) -> bool:
    response = client.get(HOME)
    return response.status_code == 200


@pytest.fixture
def user(tree, make_user):  # noqa: ANN001, ANN201
    return make_user(roles.COMMUNE_OFFICER, tree.commune)


def test_the_session_key_changes_at_login(client: Client, user) -> None:  # noqa: ANN001
    """A session planted before the login (a fixation attack) is not the one that is signed in."""
    session = client.session
    session["planted"] = "by an attacker"
    session.save()
    planted = session.session_key
    assert client.cookies[settings.SESSION_COOKIE_NAME].value == planted
    assert login(client, user.username) == 302
    now = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert now != planted
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = planted
    assert not signed_in(replay)


def test_after_logout_the_old_cookie_opens_nothing(client: Client, user) -> None:  # noqa: ANN001
    assert login(client, user.username) == 302
    stolen = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert signed_in(client)
    assert client.post(reverse("accounts:logout")).status_code == 302
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = stolen
    assert not signed_in(replay)
    assert replay.get(reverse("registry:child_list")).status_code == 302


def test_logout_needs_a_post(client: Client, user) -> None:  # noqa: ANN001
    """A link or an image on another page (a GET) cannot sign the user out; a POST without the token is refused."""
    assert login(client, user.username) == 302
    assert client.get(reverse("accounts:logout")).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies
    assert strict.post(reverse("accounts:logout")).status_code == 403
    assert signed_in(client)


def test_changing_ones_password_ends_the_other_sessions(user) -> None:  # noqa: ANN001
    here, elsewhere = Client(), Client()
    assert login(here, user.username) == 302 and login(elsewhere, user.username) == 302
    response = here.post(
        reverse("accounts:password_change"), {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
    )
    assert response.status_code == 302
    assert signed_in(here)  # the session that changed it stays signed in
    assert not signed_in(elsewhere)


def test_an_administrators_reset_and_a_deactivation_end_the_users_sessions(tree, make_user, user) -> None:  # noqa: ANN001
    admin = make_user(roles.PROVINCE_ADMIN, tree.province)
    boss = Client()
    sign_in(boss, admin)
    victim = Client()
    assert login(victim, user.username) == 302
    response = boss.post(
        reverse("accounts:user_password", args=[user.pk]), {"new_password1": NEW, "new_password2": NEW}
    )
    assert response.status_code in (200, 302)
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert not signed_in(victim)
    assert login(victim, user.username, NEW) == 302
    assert boss.post(reverse("accounts:user_active", args=[user.pk])).status_code in (200, 302)
    user.refresh_from_db()
    assert not user.is_active
    assert not signed_in(victim)


def test_the_lock_out_page_after_repeated_failures(client: Client, user) -> None:  # noqa: ANN001
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, user.username, "wrong-password") == 200
    assert login(client, user.username, "wrong-password") == 429  # the N-th failure locks
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert any(t.name == settings.AXES_LOCKOUT_TEMPLATE for t in response.templates)
    assert not signed_in(client)


@pytest.mark.parametrize("weak", ["short1", "1234567890123", "password123", "nguyenvanan1"])
def test_the_password_policy_on_a_change(client: Client, user, weak: str) -> None:  # noqa: ANN001
    user.username = "nguyenvanan"
    user.save()
    assert login(client, user.username) == 302
    response = client.post(
        reverse("accounts:password_change"), {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak}
    )
    assert response.status_code == 200 and response.context["form"].errors["new_password2"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize("weak", ["short1", "1234567890123", "password123"])
def test_the_password_policy_on_creation_and_reset(tree, make_user, user, weak: str) -> None:  # noqa: ANN001
    from treem.accounts.models import Role, User

    admin = make_user(roles.PROVINCE_ADMIN, tree.province)
    boss = Client()
    sign_in(boss, admin)
    role = Role.objects.get(code=roles.CASE_WORKER)
    data = {
        "username": "moi.nguoi", "last_name": "Lò", "first_name": "Mai", "role": role.pk, "unit": tree.commune.pk,
        "password1": weak, "password2": weak,
    }  # fmt: skip
    response = boss.post(reverse("accounts:user_create"), data)
    assert response.status_code == 200
    assert not User.objects.filter(username="moi.nguoi").exists()
    response = boss.post(
        reverse("accounts:user_password", args=[user.pk]), {"new_password1": weak, "new_password2": weak}
    )
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    # the same with a good password goes through: the weak password was the reason
    assert boss.post(reverse("accounts:user_create"), {**data, "password1": NEW, "password2": NEW}).status_code == 302
    assert User.objects.filter(username="moi.nguoi").exists()


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "/\\evil.example"]
)
def test_no_redirect_off_site_after_login_or_a_language_change(client: Client, user, target: str) -> None:  # noqa: ANN001
    response = client.post(
        reverse("accounts:login") + "?" + urlencode({"next": target}),
        {"username": user.username, "password": PASSWORD, "next": target},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == reverse(settings.LOGIN_REDIRECT_URL)
    response = client.post(reverse("set_language"), {"language": "en", "next": target})
    location = response.headers.get("Location", "/")
    assert location.startswith("/") and not location.startswith(("//", "/\\")), location
