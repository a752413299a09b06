"""Chromium: the education department's reporter opens their tasks, records a task's progress (HTMX: the page is not
reloaded), and the plan page shows it, by task and in the agency's mean; another agency's task is not listed."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import Page, expect

from treem.accounts.tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agency_reporter_updates_a_task_and_the_plan_shows_it(live_server, page: Page, setup) -> None:  # noqa: ANN001
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(setup.teacher.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    page.get_by_role("link", name="Nhiệm vụ của tôi").first.click()
    tasks = page.get_by_test_id("my-tasks")
    expect(tasks).to_contain_text("Kiểm tra các cơ sở mầm non")
    expect(tasks).not_to_contain_text("Khám chữa bệnh")  # the health department's task
    tasks.get_by_role("link", name="Môi trường giáo dục an toàn").click()

    page.evaluate("window.treemKept = true")
    page.locator("#id_status").select_option(label="Đang thực hiện")
    page.get_by_label("Tỷ lệ hoàn thành (%)").fill("70")
    page.get_by_label("Kết quả thực hiện").fill("Đã tổ chức 12 buổi sinh hoạt chuyên đề")
    page.get_by_role("button", name="Ghi tiến độ").click()
    expect(page.get_by_test_id("task-percent")).to_have_text("70%")
    expect(page.get_by_test_id("progress-history")).to_contain_text("Đã tổ chức 12 buổi sinh hoạt chuyên đề")
    assert page.evaluate("window.treemKept") is True

    page.get_by_role("link", name="Kế hoạch năm 2026").click()
    expect(page.get_by_test_id(f"task-{setup.school.pk}").get_by_test_id("percent")).to_have_text("70")
    # the education department's three tasks: (70 + 0 + 0) / 3
    expect(page.get_by_test_id(f"by-agency-a{setup.education.pk}").get_by_test_id("mean")).to_have_text("23%")
    expect(page.get_by_test_id("agency-chart")).to_be_visible()
    expect(page.get_by_test_id("plan-tasks")).not_to_contain_text("Khám chữa bệnh")
    if os.environ.get("TREEM_SCREENSHOTS"):
        page.screenshot(path=os.environ["TREEM_SCREENSHOTS"] + "/plan-progress.png", full_page=True)
