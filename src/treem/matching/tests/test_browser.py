"""Chromium: a commune officer merges a pair only after confirming, finds the merge on the kept child's page and
undoes it from there — in Vietnamese."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from treem.accounts.tests.factories import PASSWORD
from treem.matching.models import Merge

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_merge_asks_first_then_shows_on_the_child_and_undoes(
    live_server, page: Page, officer, candidate, child, twice
) -> None:  # noqa: ANN001, E501
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(officer.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    page.goto(f"{live_server.url}/matching/pairs/{candidate.pk}/")
    page.get_by_test_id("decide-merged").click()
    confirm = page.get_by_test_id("merge-confirm")
    expect(confirm).to_contain_text(f"Hồ sơ #{twice.pk} sẽ được gộp vào hồ sơ #{child.pk}")
    expect(confirm).to_contain_text("Sung Thi Sua")
    assert not Merge.objects.exists()  # nothing merged before the confirmation

    page.get_by_test_id("confirm-merge").click()
    expect(page.get_by_role("main")).to_contain_text("Đã lưu quyết định")
    merge = Merge.objects.get()

    page.goto(f"{live_server.url}/registry/children/{child.pk}/")
    panel = page.get_by_test_id("merges")
    expect(panel).to_contain_text(f"Hồ sơ #{twice.pk} (Sung Thi Sua, sinh ngày 02/05/2013)")
    page.get_by_test_id(f"undo-merge-{merge.pk}").click()
    expect(page.get_by_test_id("merges")).to_contain_text("đã hoàn tác")
    merge.refresh_from_db()
    assert merge.undone_at is not None
