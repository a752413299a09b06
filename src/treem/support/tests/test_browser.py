"""Chromium: a commune generates a gift round from the rules, excludes a child with a reason, the chairman approves,
and the officer records the deliveries — in Vietnamese."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from treem.accounts.tests.factories import PASSWORD
from treem.support.models import Delivery, Round, RoundStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reference(roles_loaded):  # noqa: ANN001, ANN201
    """The roles; the shipped reference rows a flush removes come back through the apps' post_migrate hooks."""


def log_in(page: Page, url: str, user) -> None:  # noqa: ANN001
    page.context.clear_cookies()
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_a_commune_generates_approves_and_delivers_a_gift_round(
    live_server, page: Page, reference, tree, officer, chairman, request
) -> None:  # noqa: ANN001
    kids = request.getfixturevalue("kids")
    log_in(page, live_server.url, officer)
    page.get_by_role("link", name="Hỗ trợ", exact=True).click()
    page.get_by_test_id("programme-gift-special").click()
    page.get_by_label("Ngày lập danh sách").fill("31/05/2025")
    page.get_by_label("Tên", exact=True).fill("Quà 1/6/2025")
    page.get_by_role("button", name="Tạo đợt").click()
    expect(page.get_by_test_id("round-status")).to_have_text("Dự thảo")
    page.get_by_test_id("generate").click()
    table = page.get_by_test_id("beneficiaries")
    expect(table).to_contain_text("Lò Thị A")
    expect(table).not_to_contain_text("Lò Văn H")  # Bình Lư
    row = page.get_by_test_id(f"row-{kids.f.pk}")
    row.get_by_placeholder("Lý do loại").fill("Đã nhận quà của Hội Chữ thập đỏ")
    row.get_by_role("button", name="Loại").click()
    expect(row.get_by_test_id("row-status")).to_have_text("Đã loại")  # the row swapped in place (HTMX)
    expect(page.get_by_test_id("approve")).to_have_count(0)  # the officer does not approve

    log_in(page, live_server.url, chairman)
    round_ = Round.objects.get(name="Quà 1/6/2025")
    page.goto(f"{live_server.url}/support/rounds/{round_.pk}/")
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("round-status")).to_have_text("Đã phê duyệt")

    log_in(page, live_server.url, officer)
    page.goto(f"{live_server.url}/support/rounds/{round_.pk}/")
    row = page.get_by_test_id(f"row-{kids.a.pk}")
    row.get_by_label("Người trao").fill("Lường Thị Mai")
    row.get_by_role("button", name="Ghi nhận").click()
    expect(row.get_by_test_id("delivered")).to_contain_text("Lường Thị Mai")
    form = page.get_by_test_id("deliver-all-form")
    form.get_by_label("Người trao").fill("Lường Thị Mai")
    form.get_by_role("button", name="Ghi nhận việc trao").click()
    expect(page.get_by_test_id("delivered-count")).to_have_text("3")  # A, B, I; F excluded
    assert round_.refresh_from_db() is None and round_.status == RoundStatus.APPROVED
    assert Delivery.objects.filter(beneficiary__round=round_).count() == 3
