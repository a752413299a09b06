"""Chromium: a province specialist opens the data-quality table from the menu, finds the worst commune (first row,
the highest gap score) and opens its list of children without ID — in Vietnamese."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from treem.accounts.tests.factories import PASSWORD
from treem.quality.services import snapshot_take

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_province_finds_the_worst_commune_and_its_children_without_id(
    live_server,
    page: Page,
    tree,
    viewer,
    built,  # noqa: ANN001
) -> None:
    snapshot_take()  # one month of trend
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(viewer.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    page.get_by_role("link", name="Chất lượng dữ liệu").first.click()
    rows = page.get_by_test_id("quality-row")
    expect(rows).to_have_count(2)
    scores = [float(s.replace(",", ".")) for s in page.get_by_test_id("quality-score").all_inner_texts()]
    assert scores == sorted(scores, reverse=True)  # worst first
    worst = rows.first
    expect(worst.get_by_test_id("quality-commune")).to_have_text("Xã Khun Há")
    expect(page.get_by_test_id("quality-trend")).to_be_visible()

    worst.get_by_test_id("quality-no-id").click()
    expect(page.get_by_test_id("filter-no-id")).to_be_checked()  # the list says what it is filtered by
    expect(page.get_by_test_id("child-table")).to_contain_text("Lò Thị Pa")
    for complete in ("Sùng Thị Sua", "Giàng A Tú", "Sùng A Lử", "Lò Thị Sua"):
        expect(page.get_by_test_id("child-table")).not_to_contain_text(complete)
