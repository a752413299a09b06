"""Chromium: a commune submits its 6-month report, the province returns it with a comment, the commune corrects it
and submits again, the province approves it and opens its consolidated report and that report's PDF."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import Page, expect

from treem.accounts.tests.factories import PASSWORD
from treem.reporting.tests.conftest import SECTIONS, put_figure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reference_data(roles_loaded):  # noqa: ANN001, ANN201
    # A transactional test flushes the data migrations' rows: load the reference data again.
    from treem.indicators.definitions import sync

    sync()


def log_in(page: Page, url: str, user) -> None:  # noqa: ANN001
    page.context.clear_cookies()
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def shot(page: Page, name: str) -> None:
    if os.environ.get("TREEM_SCREENSHOTS"):
        page.screenshot(path=f"{os.environ['TREEM_SCREENSHOTS']}/{name}.png", full_page=True)


def test_submit_return_resubmit_approve_and_the_consolidated_report(
    live_server, page: Page, tree, reference_data, officer, province_officer, cycle
) -> None:  # noqa: ANN001
    put_figure(tree.commune, "children", 321)
    url = live_server.url

    # the commune starts its report from the menu, writes it in the page and submits it
    log_in(page, url, officer)
    page.get_by_role("link", name="Báo cáo", exact=True).first.click()
    page.get_by_role("link", name=cycle.report_type.name_vi).click()
    page.get_by_test_id("start-report").click()
    expect(page.get_by_test_id("figure-children")).to_have_text("321")
    page.evaluate("window.treemKept = true")
    for i, code in enumerate(SECTIONS):
        page.locator(f"#id_s_{code}").fill(f"Mục {i + 1}: nội dung của xã")
    page.get_by_test_id("save-text").click()
    expect(page.get_by_test_id("saved")).to_be_visible()
    assert page.evaluate("window.treemKept") is True  # saved in place (HTMX), the page was not reloaded
    page.get_by_test_id("submit-report").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Đã gửi")
    report_url = page.url

    # the province returns it with a comment
    log_in(page, url, province_officer)
    page.goto(report_url)
    page.get_by_label("Ý kiến").fill("Bổ sung số liệu tai nạn, thương tích")
    page.get_by_test_id("return-report").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Trả lại để chỉnh sửa")

    # the commune sees the comment, corrects the report and submits it again
    log_in(page, url, officer)
    page.goto(report_url)
    expect(page.get_by_test_id("review-comment")).to_contain_text("Bổ sung số liệu tai nạn, thương tích")
    page.locator("#id_s_situation").fill("Đã bổ sung: 2 trẻ em bị tai nạn, thương tích")
    page.get_by_test_id("save-text").click()
    expect(page.get_by_test_id("saved")).to_be_visible()
    page.get_by_test_id("submit-report").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Đã gửi")

    # the province approves it, then starts its own report: the commune's figures consolidated
    log_in(page, url, province_officer)
    page.goto(report_url)
    page.get_by_test_id("approve-report").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Đã phê duyệt")
    expect(page.get_by_test_id("report-steps")).to_contain_text("Trả lại để chỉnh sửa")
    page.goto(f"{url}/reports/cycle/{cycle.pk}/")
    expect(page.get_by_test_id(f"row-{tree.commune.code}")).to_contain_text("Đã phê duyệt")
    expect(page.get_by_test_id(f"row-{tree.sibling.code}")).to_contain_text("Chưa gửi")
    expect(page.get_by_test_id("chart")).to_be_visible()
    shot(page, "report-completeness")
    page.get_by_test_id("start-report").click()
    expect(page.get_by_test_id("report-title")).to_contain_text("Tỉnh Lai Châu")
    expect(page.get_by_test_id("figure-children")).to_have_text("321")
    expect(page.get_by_test_id("sub-units")).to_contain_text("Xã Bình Lư")
    shot(page, "report-consolidated")
    href = page.get_by_test_id("report-pdf").get_attribute("href")
    answer = page.request.get(f"{url}{href}")
    assert answer.ok and answer.headers["content-type"] == "application/pdf"
    assert answer.body().startswith(b"%PDF")
