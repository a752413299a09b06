"""Case documents: never cached, PDFs inline, the printable page's styles allowed by the CSP nonce only."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from treem.cases.tests.test_views import login

pytestmark = pytest.mark.django_db


def test_case_pdf_is_inline_and_never_cached(client, case, worker) -> None:  # noqa: ANN001
    login(client, worker)
    response = client.get(reverse("cases:document", args=[case.pk, "01"]), {"format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert "no-store" in response["Cache-Control"]


def test_the_printable_form_uses_the_csp_nonce_for_its_styles(client, case, worker) -> None:  # noqa: ANN001
    login(client, worker)
    response = client.get(reverse("cases:document", args=[case.pk, "01"]))
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])[1]
    assert f'<style nonce="{nonce}">' in response.text
    assert "no-store" in response["Cache-Control"]
