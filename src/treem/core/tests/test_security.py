"""Security headers and deployment settings: CSP, Permissions-Policy, no caching of signed-in pages, the TLS proxy
header, a generated secret key for `make demo`, and a clean `check --deploy`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import override_settings
from django.urls import path, reverse

from treem.accounts import roles
from treem.config.settings.base import _proxy_ssl_header

pytestmark = pytest.mark.django_db


def login(client, user) -> None:  # noqa: ANN001
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")


def test_every_page_has_a_strict_csp_and_a_permissions_policy(client, tree, make_user) -> None:  # noqa: ANN001
    for response in (client.get(reverse("accounts:login")), client.get("/no-such-page/")):
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    login(client, make_user(roles.COMMUNE_OFFICER, tree.commune))
    page = client.get(reverse("ui:home"))
    assert "<script>" not in page.text and " style=" not in page.text and "<style" not in page.text
    assert "script-src 'self'" in page["Content-Security-Policy"]


def test_signed_in_pages_and_exports_are_never_cached(client, tree, make_user) -> None:  # noqa: ANN001
    login(client, make_user(roles.COMMUNE_OFFICER, tree.commune))
    for url in (reverse("ui:home"), reverse("registry:child_list"), reverse("registry:child_list_xlsx")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


def _pdf(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"%PDF-1.7\n", content_type="application/pdf")


def _page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("<p>page</p>")


urlpatterns = [path("document.pdf", _pdf), path("page/", _page)]


@pytest.mark.urls(__name__)
def test_a_pdf_has_no_page_csp_but_the_other_headers(client, tree, make_user) -> None:  # noqa: ANN001
    """A page's policy (object-src 'none') can stop a browser's PDF viewer: a PDF goes without it."""
    login(client, make_user(roles.COMMUNE_OFFICER, tree.commune))
    response = client.get("/document.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "Content-Security-Policy" not in response
    assert "camera=()" in response["Permissions-Policy"] and "no-store" in response["Cache-Control"]
    assert "object-src 'none'" in client.get("/page/")["Content-Security-Policy"]


def test_proxy_ssl_header_setting() -> None:
    assert _proxy_ssl_header("") is None
    assert _proxy_ssl_header("X-Forwarded-Proto") == ("HTTP_X_FORWARDED_PROTO", "https")
    assert _proxy_ssl_header("X-Forwarded-Ssl=on") == ("HTTP_X_FORWARDED_SSL", "on")


@override_settings(SECURE_SSL_REDIRECT=True, SECURE_PROXY_SSL_HEADER=_proxy_ssl_header("X-Forwarded-Proto"))
def test_https_behind_a_tls_proxy_does_not_redirect_for_ever(client) -> None:  # noqa: ANN001
    assert client.get(reverse("accounts:login")).status_code == 301  # plain http: to https
    response = client.get(reverse("accounts:login"), headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200


def _treem(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TREEM_", "DJANGO_"))}
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", "from treem.cli import main; main()", *args],
        env={**clean, **env}, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip


def test_make_demo_settings_generate_a_secret_key(tmp_path: Path) -> None:
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    env = {"DJANGO_SETTINGS_MODULE": "treem.config.settings.local", "TREEM_VAR_DIR": str(tmp_path)}
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TREEM_", "DJANGO_"))}
    out = subprocess.run([sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True, check=True)  # noqa: S603
    key = out.stdout.strip()
    assert len(key) >= 50 and "insecure" not in key
    assert (tmp_path / "secret_key").read_text().strip() == key


def test_check_deploy_is_clean_with_https_and_a_real_key(tmp_path: Path) -> None:
    env = {
        "DJANGO_SETTINGS_MODULE": "treem.config.settings.base", "TREEM_HTTPS": "true", "TREEM_VAR_DIR": str(tmp_path),
        "TREEM_SECRET_KEY": "k2V$9xq!Lr7m@Zp4Tn8#Wc1Yb6Hs3Jd0Fg5Ue2Ai9Ko7Pl4Mv1Nb8Xc3Zq6Rt0Sw5Ey2",
        "TREEM_ALLOWED_HOSTS": "treem.example.org", "TREEM_PROXY_SSL_HEADER": "X-Forwarded-Proto",
    }  # fmt: skip
    result = _treem(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
