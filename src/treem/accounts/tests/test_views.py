"""Login, logout, password change and lock-out after repeated failures."""

from __future__ import annotations

import pytest
from django.urls import reverse

from treem.accounts import roles
from treem.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_is_in_vietnamese_by_default(client) -> None:  # noqa: ANN001
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert "Đăng nhập" in response.text
    assert response.headers["X-Frame-Options"] == "DENY"


def test_it_logs_in_and_out(client, tree, make_user) -> None:  # noqa: ANN001
    user = make_user(roles.COMMUNE_OFFICER, tree.commune)
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("ui:home")
    assert client.get(reverse("ui:home")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("ui:home")).status_code == 302


def test_wrong_password_says_so_in_vietnamese(client, tree, make_user) -> None:  # noqa: ANN001
    user = make_user(roles.COMMUNE_OFFICER, tree.commune)
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": "wrong"})
    assert response.status_code == 200
    assert "Sai tên đăng nhập hoặc mật khẩu" in response.text


def test_it_locks_out_after_repeated_failures(client, tree, make_user, settings) -> None:  # noqa: ANN001
    user = make_user(roles.COMMUNE_OFFICER, tree.commune)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": user.username, "password": "wrong"})
    # Even the right password is refused now.
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in response.text
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_user(client, tree, make_user, settings) -> None:  # noqa: ANN001
    victim = make_user(roles.COMMUNE_OFFICER, tree.commune)
    other = make_user(roles.COMMUNE_OFFICER, tree.commune)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": victim.username, "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": other.username, "password": PASSWORD})
    assert response.status_code == 302


def test_password_change(client, tree, make_user) -> None:  # noqa: ANN001
    user = make_user(roles.COMMUNE_OFFICER, tree.commune)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("accounts:password_change"))
    assert "Đổi mật khẩu" in page.text
    new = "an-entirely-new-passphrase-42"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


def test_security_settings(settings) -> None:  # noqa: ANN001
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_password_change_counts_wrong_old_passwords_with_the_login_lockout(client, tree, make_user, settings) -> None:  # noqa: ANN001
    user = make_user(roles.COMMUNE_OFFICER, tree.commune)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    new = "an-entirely-new-passphrase-42"
    wrong = {"old_password": "not-my-password", "new_password1": new, "new_password2": new}
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(reverse("accounts:password_change"), wrong)
        assert response.status_code == 200 and response.context["form"].errors["old_password"]
    response = client.post(reverse("accounts:password_change"), wrong)
    assert response.status_code == 429 and "Đăng nhập sai quá nhiều lần" in response.text
    assert "_auth_user_id" not in client.session  # signed out
    # Locked like a login: even the right password is refused, at the login and at the password change.
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429 and "_auth_user_id" not in client.session
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    right = {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    assert client.post(reverse("accounts:password_change"), right).status_code == 429
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_django_messages_are_translated_in_the_vietnamese_ui(client, tree, make_user) -> None:  # noqa: ANN001
    user = make_user(roles.COMMUNE_OFFICER, tree.commune)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    data = {"old_password": PASSWORD, "new_password1": "kh0ng\x00ok", "new_password2": "kh0ng\x00ok"}
    errors = client.post(reverse("accounts:password_change"), data).context["form"].errors
    assert errors["new_password1"] == ["Không được dùng ký tự rỗng (null)."]
    data = {"old_password": PASSWORD, "new_password1": "ngan-qua", "new_password2": "ngan-qua"}
    errors = client.post(reverse("accounts:password_change"), data).context["form"].errors
    assert "Mật khẩu này quá ngắn. Mật khẩu phải có ít nhất 10 ký tự." in errors["new_password2"]
