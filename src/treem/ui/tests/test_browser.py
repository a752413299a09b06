"""Chromium through Playwright: log in, switch language, pick a unit with the autocomplete."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from treem.accounts import roles
from treem.accounts.tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_log_in_switch_language_and_pick_a_unit(live_server, page: Page, tree, make_user) -> None:  # noqa: ANN001
    officer = make_user(roles.COMMUNE_OFFICER, tree.commune)
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("heading", name="Đăng nhập vào Treem")).to_be_visible()
    page.get_by_label("Tên đăng nhập").fill(officer.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    expect(page.get_by_test_id("unit-name")).to_have_text("Xã Khun Há")
    expect(page.get_by_test_id("subunits")).to_contain_text("Bản Hon")

    page.get_by_test_id("lang-en").click()
    expect(page.get_by_role("heading", name="Sub-units")).to_be_visible()
    page.get_by_test_id("lang-vi").click()
    expect(page.get_by_role("heading", name="Đơn vị trực thuộc")).to_be_visible()

    page.get_by_label("Đơn vị hành chính").fill("ban hon")
    page.get_by_role("option").filter(has_text="Bản Hon").get_by_role("button").click()
    # Wait for the chosen unit (not the result list, which shows the same text) before opening it.
    expect(page.get_by_test_id("unit-chosen")).to_contain_text("Khun Há > Bản Hon")
    page.get_by_role("button", name="Mở").click()
    expect(page.get_by_test_id("unit-name")).to_have_text("Bản Hon")


def test_a_phone_sized_screen_shows_the_page(live_server, page: Page, tree, make_user) -> None:  # noqa: ANN001
    officer = make_user(roles.VILLAGE_COLLABORATOR, tree.village)
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(officer.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_test_id("unit-name")).to_have_text("Bản Hon")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
