"""In Chromium: a token made on the tokens page (from the menu) works, and the interactive documentation renders
from Treem's own files under its Content-Security-Policy (no network beyond the server)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from treem.accounts.tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_make_a_token_and_read_the_docs(live_server, page: Page, officer) -> None:  # noqa: ANN001
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(officer.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("link", name="Khóa API").click()
    page.get_by_label("Dùng để làm gì").fill("Báo cáo")
    page.get_by_role("button", name="Tạo khóa").click()
    token = page.get_by_test_id("new-token").locator("code").inner_text()
    assert token.startswith("trm_")
    response = page.request.get(f"{live_server.url}/api/children", headers={"Authorization": f"Bearer {token}"})
    assert response.status == 200

    page.get_by_role("link", name="Tài liệu API").click()
    expect(page.locator(".swagger-ui")).to_be_visible()
    expect(page.get_by_text("/api/children/{child_id}").first).to_be_visible()
    assert outside == []
    assert [m for m in blocked if "script" in m] == []
