"""Error pages: styled, in the user's language, with the navigation; 500 renders without a request or database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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


DEMO_REQUESTS = """
from django.test import Client
import django
django.setup()
client = Client()
page = client.get("/khong-co-trang-nay/")
css = client.get("/static/treem/css/treem.css")
styled = 'data-testid="error-404"' in page.text
print("PAGE", page.status_code, "Không tìm thấy trang" in page.text, "URLconf" in page.text, styled)
body = b"".join(css.streaming_content) if css.streaming else css.content
print("CSS", css.status_code, body[:40].decode())
"""


def test_the_demo_runs_without_debug_shows_the_styled_404_and_serves_its_static_files(tmp_path: Path) -> None:
    """`make demo` (settings.local): an unknown URL is the styled Vietnamese 404, never Django's debug page with the
    URL patterns; the stylesheet is still served by the demo's own server."""
    env = {"DJANGO_SETTINGS_MODULE": "treem.config.settings.local", "TREEM_VAR_DIR": str(tmp_path)}
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TREEM_", "DJANGO_"))}
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", DEMO_REQUESTS], env={**clean, **env}, capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stderr
    lines = {line.split(" ", 1)[0]: line.split(" ", 1)[1] for line in out.stdout.splitlines() if " " in line}
    assert lines["PAGE"] == "404 True False True"
    assert lines["CSS"].startswith("200 /* Treem")
