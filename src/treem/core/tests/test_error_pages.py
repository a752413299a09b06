"""Error pages: styled, in the user's language, with the navigation; 500 renders without a request or database."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.template import loader
from django.test import Client
from django.urls import reverse
from django.utils import translation

from treem.accounts import roles
from treem.accounts.tests.factories import PASSWORD


def login(client, user) -> None:  # noqa: ANN001
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")


@pytest.mark.django_db
def test_404_is_the_styled_page_with_navigation_in_the_users_language(client, tree, make_user) -> None:  # noqa: ANN001
    login(client, make_user(roles.COMMUNE_OFFICER, tree.commune))
    response = client.get("/registry/no-such-page/")
    assert response.status_code == 404
    assert 'data-testid="error-404"' in response.text and "Không tìm thấy trang" in response.text
    assert reverse("registry:child_list") in response.text  # the navigation of the signed-in user
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/registry/no-such-page/")
    assert response.status_code == 404 and "Page not found" in response.text


@pytest.mark.django_db
def test_403_is_the_styled_page(client, tree, make_user) -> None:  # noqa: ANN001
    login(client, make_user(roles.VILLAGE_COLLABORATOR, tree.village))
    response = client.get(reverse("imports:list"))
    assert response.status_code == 403
    assert 'data-testid="error-403"' in response.text and "Không được phép" in response.text
    assert reverse("ui:home") in response.text


@pytest.mark.django_db
def test_400_is_the_styled_page(client) -> None:  # noqa: ANN001
    response = client.get(reverse("accounts:login"), headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert 'data-testid="error-400"' in response.text and "Yêu cầu không hợp lệ" in response.text


@pytest.mark.django_db
def test_csrf_failure_is_the_styled_page_in_the_users_language(tree, make_user) -> None:  # noqa: ANN001
    user = make_user(roles.COMMUNE_OFFICER, tree.commune)
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 403
    assert 'data-testid="error-csrf"' in response.text and "Biểu mẫu đã hết hạn" in response.text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 403 and "The form has expired" in response.text


def test_500_renders_without_a_request_context_or_database() -> None:
    # No django_db mark: any query fails the test.
    with translation.override("vi"):
        html = loader.get_template("500.html").render()
    assert 'data-testid="error-500"' in html and "Lỗi máy chủ" in html and "treem.css" in html
