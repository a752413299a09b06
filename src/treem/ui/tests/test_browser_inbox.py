"""Chromium: a commune officer's morning. Log in; the inbox shows an overdue case and an import waiting to be saved;
open each from the inbox; mark the overdue notice read, and the badge in the navigation drops."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from treem.accounts.tests.factories import PASSWORD
from treem.cases import services as cases
from treem.cases.notifications import notify_overdue
from treem.imports.models import ImportJob, JobStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reference_rows(roles_loaded) -> None:  # noqa: ANN001
    # A transactional test flushes the rows the data migrations loaded: load the reference data again.
    from treem.cases.clocks import clock_rules_sync

    clock_rules_sync()


def test_an_officers_morning(live_server, page: Page, reference_rows, officer, child, tree) -> None:  # noqa: ANN001
    # Last night: a case came in at 14:00 yesterday; its 12-hour emergency clock ran out, and a notice went out.
    case = cases.case_open(
        actor=officer, commune=tree.commune, intake_at=timezone.now() - dt.timedelta(hours=20), channel="police",
        category="abused", description="Bị cha đánh", child=child, abuse_forms=["violence"], abuser_relation="parent",
    )  # fmt: skip
    notify_overdue()
    # And a workbook the officer uploaded was checked and waits to be saved.
    ImportJob.objects.create(
        unit=tree.commune, unit_path=tree.commune.path, created_by=officer, original_name="danh-sach-ban-hon.xlsx",
        file_sha256="0" * 64, status=JobStatus.VALIDATED, total_rows=12, counts={"ok": 12},
    )  # fmt: skip

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(officer.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    # The inbox: one overdue case, one import waiting; the badge counts the one notice.
    inbox = page.get_by_test_id("inbox")
    expect(inbox.get_by_role("heading", name="Việc hôm nay")).to_be_visible()
    expect(page.get_by_test_id("count-cases_overdue")).to_contain_text("1")
    expect(page.get_by_test_id("count-imports_waiting")).to_contain_text("1")
    expect(page.get_by_test_id("notice-count")).to_have_text("1")
    notice = page.get_by_test_id("notice")
    expect(notice).to_contain_text(case.code)

    # The overdue count opens the case list filtered to overdue cases; the case is there.
    page.get_by_test_id("count-cases_overdue").click()
    expect(page.get_by_test_id("case-row")).to_have_count(1)
    expect(page.get_by_test_id("case-table")).to_contain_text(case.code)
    page.go_back()

    # The notice opens the case itself.
    page.get_by_test_id("notice-case").click()
    expect(page.get_by_test_id("case-code")).to_contain_text(case.code)
    page.go_back()

    # The waiting import opens its check page.
    page.get_by_test_id("waiting-import").click()
    expect(page.get_by_role("heading", name="danh-sach-ban-hon.xlsx")).to_be_visible()
    page.go_back()

    # Marked read: the notice leaves the inbox and the badge drops to 0, without reloading the page.
    page.get_by_test_id("notice-read").click()
    expect(page.get_by_test_id("no-notice")).to_be_visible()
    expect(page.get_by_test_id("notice-count")).to_have_text("0")
    page.reload()
    expect(page.get_by_test_id("notice-count")).to_have_text("0")
