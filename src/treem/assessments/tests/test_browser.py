"""Chromium: a commune officer self-assesses (the last items scored in place with HTMX), signs and sends it; the
province specialist appraises it and records the recognition decision."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import Page, expect

from treem.accounts.tests.factories import PASSWORD
from treem.assessments.models import Assessment, Item, Score
from treem.core.dates import format_vn, today_vn

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reference_data(roles_loaded):  # noqa: ANN001, ANN201
    # A transactional test flushes the rows loaded after migrate: load the criteria and indicators again.
    from treem.assessments.criteria import sync
    from treem.indicators.definitions import sync as indicators_sync

    indicators_sync()
    sync()


def _login(page: Page, url: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_a_commune_self_assesses_and_the_province_recognises_it(
    live_server, page: Page, tree, officer, viewer, reference_data
) -> None:  # noqa: ANN001
    year = today_vn().year
    _login(page, live_server.url, officer.username)
    page.get_by_role("link", name="Xã, phường phù hợp với trẻ em").first.click()
    page.get_by_test_id(f"start-{tree.commune.code}").click()
    expect(page.get_by_test_id("verdict")).to_have_text("Chưa đủ: còn nội dung chưa chấm điểm")

    # the earlier items were scored before; the last two are scored now, in place
    assessment = Assessment.objects.get(unit=tree.commune, year=year)
    for item in Item.objects.exclude(code__in=["1.1", "13.1"]):
        Score.objects.filter(assessment=assessment, item=item).update(points=item.max_points)
    page.reload()
    page.evaluate("window.treemKept = true")
    page.get_by_test_id("item-1.1").get_by_label("Điểm (0–75)").fill("80")
    page.get_by_test_id("save-1.1").click()
    expect(page.get_by_test_id("item-1.1").get_by_role("alert")).to_contain_text("Từ 0 đến 75 điểm.")
    page.get_by_test_id("item-1.1").get_by_label("Điểm (0–75)").fill("60")
    page.get_by_test_id("save-1.1").click()
    expect(page.get_by_test_id("total")).to_have_text("910")
    expect(page.get_by_test_id("verdict")).to_have_text("Chưa đủ: còn nội dung chưa chấm điểm")
    page.get_by_test_id("item-13.1").get_by_label("Điểm (0–75)").fill("0")
    page.get_by_test_id("save-13.1").click()
    expect(page.get_by_test_id("verdict")).to_have_text("Không đạt tiêu chuẩn")  # a criterion at 0
    page.get_by_test_id("item-13.1").get_by_label("Điểm (0–75)").fill("50")
    page.get_by_test_id("save-13.1").click()
    expect(page.get_by_test_id("verdict")).to_have_text("Đạt tiêu chuẩn")
    expect(page.get_by_test_id("total")).to_have_text("960")
    assert page.evaluate("window.treemKept") is True  # no reload
    if os.environ.get("TREEM_SCREENSHOTS"):
        page.screenshot(path=os.environ["TREEM_SCREENSHOTS"] + "/assessment-form.png", full_page=True)
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("status")).to_have_text("Đã tự đánh giá, chờ thẩm định")
    expect(page.get_by_test_id("go-appraise")).to_have_count(0)  # the commune does not appraise itself

    _login(page, live_server.url, viewer.username)
    page.goto(f"{live_server.url}/assessments/?year={year}")
    row = page.get_by_test_id(f"commune-{tree.commune.code}")
    expect(row).to_contain_text("Đã tự đánh giá, chờ thẩm định")
    row.get_by_role("link", name="Xã Khun Há").click()
    page.get_by_test_id("go-appraise").click()
    page.get_by_label("Đồng ý: trình ra quyết định").check()
    page.get_by_test_id("appraise").click()
    expect(page.get_by_test_id("status")).to_have_text("Đã thẩm định, chờ quyết định")
    page.get_by_test_id("go-decide").click()
    page.get_by_label("Số quyết định").fill("215/QĐ-UBND")
    page.get_by_label("Ngày quyết định").fill(format_vn(today_vn()))
    page.get_by_test_id("decide").click()
    expect(page.get_by_test_id("status")).to_have_text("Được công nhận")
    expect(page.get_by_test_id("decision")).to_contain_text(f"215/QĐ-UBND · {format_vn(today_vn())}")
    page.goto(f"{live_server.url}/assessments/?year={year}")
    expect(page.get_by_test_id(f"commune-{tree.commune.code}")).to_contain_text("Được công nhận")
    if os.environ.get("TREEM_SCREENSHOTS"):
        page.screenshot(path=os.environ["TREEM_SCREENSHOTS"] + "/assessment-list.png", full_page=True)
