"""Chromium through Playwright: a case worker sets up two-factor authentication on a phone-sized screen."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from treem.accounts import roles
from treem.accounts.tests.factories import PASSWORD
from treem.accounts.tests.helpers import code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_case_worker_sets_up_the_authenticator_app(live_server, page: Page, tree, make_user) -> None:  # noqa: ANN001
    worker = make_user(roles.CASE_WORKER, tree.commune)
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(worker.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    expect(page.get_by_role("heading", name="Thiết lập xác thực hai lớp")).to_be_visible()
    qr = page.locator(".otp-qr svg")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box is not None and 150 <= box["width"] <= 375 and box["height"] == pytest.approx(box["width"], abs=2)
    device = TOTPDevice.objects.get(user=worker, confirmed=False)
    secret = page.get_by_test_id("otp-secret").inner_text()
    assert secret.replace(" ", "") in device.config_url

    page.get_by_label("Mã trên ứng dụng xác thực").fill(code(device, steps=10))
    page.get_by_test_id("otp-submit").click()
    expect(page.get_by_role("alert")).to_contain_text("Mã không đúng hoặc đã hết hạn")
    device.throttle_reset()

    page.get_by_label("Mã trên ứng dụng xác thực").fill(code(device))
    page.get_by_test_id("otp-submit").click()
    expect(page.get_by_text("Đã thiết lập xác thực hai lớp")).to_be_visible()
    expect(page.get_by_test_id("unit-name")).to_have_text("Xã Khun Há")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert not [m for m in console if "Content Security Policy" in m or "Content-Security-Policy" in m], console
