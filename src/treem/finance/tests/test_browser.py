"""Chromium: the commune officer records an allocation from the ledger, sees it with the support money of the year,
and switches the year (HTMX: the page is not reloaded)."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from treem.accounts import roles
from treem.accounts.tests.factories import PASSWORD
from treem.core.dates import today_vn
from treem.support import services as support

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_officer_records_an_allocation_and_reads_the_ledger(live_server, page: Page, tree, make_user) -> None:  # noqa: ANN001
    officer = make_user(roles.COMMUNE_OFFICER, tree.commune)
    year = today_vn().year
    support.donation_record(actor=officer, unit=tree.commune, donor="Công ty X", amount=2_000_000,
                            received_on=dt.date(year, 1, 1))  # fmt: skip
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(officer.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("link", name="Kinh phí", exact=True).first.click()
    expect(page.get_by_test_id("ledger-unit")).to_contain_text("Xã Khun Há")
    expect(page.get_by_test_id("by-source").locator('tr[data-source="fund"]')).to_contain_text("2.000.000")
    page.get_by_test_id("allocations-link").click()
    page.get_by_label("Nguồn kinh phí").select_option(label="Ngân sách tỉnh")
    page.get_by_label("Số tiền (đồng)").fill("30000000")
    page.get_by_label("Mục đích").fill("Tháng hành động vì trẻ em")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_test_id("allocations-total")).to_have_text("30.000.000")
    page.get_by_role("link", name="Kinh phí và chi tiêu").click()
    expect(page.get_by_test_id("ledger-balance")).to_have_text("32.000.000")
    page.evaluate("window.treemKept = true")
    page.get_by_label("Năm").select_option(str(year - 1))
    expect(page.get_by_test_id("ledger-balance")).to_have_text("0")
    assert page.evaluate("window.treemKept") is True
