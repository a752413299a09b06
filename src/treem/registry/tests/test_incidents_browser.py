"""Chromium: the collaborator of Bản Hon records a drowning on a phone (375 px); the commune officer sees it in the
child's history and in the month's figure of children injured (indicator table for the month)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from treem.accounts import roles
from treem.accounts.tests.factories import PASSWORD
from treem.core.dates import today_vn

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def reference_data(roles_loaded):  # noqa: ANN001, ANN201
    # A transactional test flushes the data migrations' rows: load the reference data again.
    from treem.indicators.definitions import sync

    sync()


def log_in(page: Page, base: str, user) -> None:  # noqa: ANN001
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_test_id("menu")).to_be_attached()


def test_a_collaborator_records_a_drowning_on_a_phone(
    live_server, page: Page, tree, make_user, officer, child, reference_data
) -> None:  # noqa: ANN001
    collaborator = make_user(roles.VILLAGE_COLLABORATOR, tree.village)
    day = today_vn().replace(day=1) - dt.timedelta(days=20)  # in last month
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, collaborator)
    page.goto(f"{live_server.url}/registry/children/{child.pk}/")
    page.get_by_test_id("add-incident").click()
    page.get_by_label(re.compile(r"^Ngày")).fill(day.strftime("%d/%m/%Y"))
    page.get_by_label(re.compile(r"^Thời gian")).fill("16:30")
    page.get_by_label(re.compile(r"^Loại")).select_option(label="Đuối nước")
    page.get_by_label(re.compile(r"^Nơi xảy ra")).select_option(label="Sông, hồ, ao, suối")
    page.get_by_label(re.compile(r"^Hậu quả")).select_option(label="Điều trị tại trạm y tế")
    page.get_by_label(re.compile(r"^Trẻ đang làm gì")).fill("Tắm suối sau giờ học")
    page.get_by_label(re.compile(r"^Người trông nom trẻ lúc đó")).select_option(label="Chỉ có trẻ em khác đi cùng")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("button", name="Lưu").click()
    incidents = page.get_by_test_id("incidents")
    expect(incidents).to_contain_text("Đuối nước")
    expect(incidents).to_contain_text(day.strftime("%d/%m/%Y"))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # the commune officer: the child's history, then the month's figure
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, live_server.url, officer)
    page.goto(f"{live_server.url}/registry/children/{child.pk}/")
    expect(page.get_by_test_id("timeline")).to_contain_text(f"Tai nạn, thương tích: Đuối nước, {day:%d/%m/%Y}")
    month = f"{day:%Y-%m}"
    page.goto(f"{live_server.url}/indicators/?indicator=child_injuries&period={month}&unit={tree.commune.pk}")
    page.get_by_test_id("compute").click()
    expect(page.get_by_test_id(f"cell-{tree.commune.pk}-")).to_have_text("1")
    expect(page.get_by_test_id(f"cell-{tree.village.pk}-")).to_have_text("1")
