"""Chromium: a commune officer records an intake of a child at risk found by typing `sua`, sees the 12-hour clock,
assesses, holds the conference and drafts the plan; the chairman approves it; the officer implements, reviews and
proposes the closure; the chairman decides it (NĐ 56 Art. 30.1b–c); a village collaborator of the same village
cannot find the case — all in Vietnamese."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from treem.accounts import roles
from treem.accounts.tests.factories import PASSWORD
from treem.cases.models import Case, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reference_rows(roles_loaded) -> None:  # noqa: ANN001
    # A transactional test flushes the rows the data migrations loaded: load the reference data again.
    from treem.cases.clocks import clock_rules_sync

    clock_rules_sync()


def log_in(page: Page, url: str, user) -> None:  # noqa: ANN001
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def take_step(page: Page, to: str) -> None:
    page.get_by_test_id(f"step-{to}").click()
    expect(page.get_by_test_id("step-form")).to_be_visible()


def rate(page: Page, levels: dict[str, str]) -> None:
    for factor, level in levels.items():
        page.locator(f"input[name=f_{factor}][value={level}]").check()


def save(page: Page) -> None:
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_test_id("case-code")).to_be_visible()


def test_a_case_from_intake_to_closure(
    live_server, page: Page, new_context, reference_rows, officer, child, tree, make_user
) -> None:  # noqa: ANN001
    chairman = make_user(roles.COMMUNE_CHAIRMAN, tree.commune)
    collaborator = make_user(roles.VILLAGE_COLLABORATOR, tree.village)

    # Monday: a collaborator calls; the officer records the intake, the child found without diacritics.
    log_in(page, live_server.url, officer)
    page.get_by_role("link", name="Vụ việc").first.click()
    page.get_by_test_id("new-case").click()
    page.get_by_test_id("child-search").fill("sua")
    results = page.get_by_test_id("child-results")
    expect(results).to_contain_text("Sùng Thị Sua")
    results.get_by_role("radio").first.check()
    page.locator("[name=channel]").select_option("community")
    page.locator("input[name=category][value=at_risk]").check()
    page.locator("input[name=abuse_forms][value=exploitation]").check()
    page.locator("[name=setting]").select_option("home")
    page.locator("[name=abuser_relation]").select_option("parent")
    page.locator("[name=description]").fill("Em nghỉ học, bố mẹ định cho đi làm thuê ở thành phố")
    expect(page.locator("[name=informant_name]")).to_be_hidden()  # shown only with the informant's consent
    page.locator("[name=informant_consents]").check()
    page.locator("[name=informant_name]").fill("Cộng tác viên bản Hon")
    page.get_by_test_id("intake-form").locator("button[type=submit]").click()

    # The case file: the 12-hour clock, because the suspected abuser is a parent.
    expect(page.get_by_test_id("case-code")).to_be_visible()
    expect(page.get_by_test_id("emergency-clock")).to_contain_text("12")
    expect(page.get_by_test_id("clock-emergency_12h")).to_be_visible()
    expect(page.get_by_test_id("case-child")).to_contain_text("Sùng Thị Sua")
    expect(page.get_by_test_id("informant")).to_contain_text("Cộng tác viên bản Hon")
    case = Case.objects.get()
    case_url = page.url

    take_step(page, Status.VERIFICATION)
    page.locator("[name=note]").fill("Đã đến nhà xác minh: đúng sự việc")
    save(page)
    take_step(page, Status.INITIAL_ASSESSMENT)
    rate(page, {"harm": "medium", "danger": "high", "access": "high", "obstacles": "medium", "capacity": "low"})
    page.locator("[name=note]").fill("Nguy cơ cao bị đưa đi làm thuê")
    save(page)
    take_step(page, Status.EMERGENCY)
    page.locator("[name=note]").fill("Đưa em về nhà bà ngoại, báo công an xã")
    save(page)
    expect(page.get_by_test_id("emergency-clock")).to_have_count(0)  # the 12-hour limit is met
    take_step(page, Status.COMPREHENSIVE_ASSESSMENT)
    page.locator("[name=i_a]").fill("Sức khỏe bình thường, lo lắng")
    page.locator("[name=i_g]").fill("Em muốn tiếp tục đi học")
    save(page)
    take_step(page, Status.CASE_CONFERENCE)
    page.locator("[name=participants]").fill("Chủ tịch UBND xã, công chức, trưởng bản, bố mẹ")
    page.locator("[name=decisions]").fill("Hỗ trợ em trở lại trường")
    save(page)
    take_step(page, Status.PLAN_DRAFTED)
    page.locator("[name=goal]").fill("Em trở lại trường an toàn")
    page.locator("[name=plan-0-service]").fill("Tư vấn tâm lý cho em và gia đình")
    page.locator("[name=plan-0-responsible]").fill("Công chức xã")
    page.locator("[name=plan-0-provider]").fill("Trạm y tế xã")
    page.locator("[name=plan-0-start]").fill("01/12/2026")
    page.locator("[name=plan-0-end]").fill("31/12/2026")
    page.locator("[name=plan-0-cost]").fill("500000")
    save(page)
    expect(page.get_by_test_id("case-timeline")).to_contain_text("Tư vấn tâm lý cho em và gia đình")
    expect(page.get_by_test_id(f"step-{Status.PLAN_APPROVED}")).to_have_count(0)  # the chairman approves

    # The chairman, on another computer, approves the plan.
    boss = new_context().new_page()
    log_in(boss, live_server.url, chairman)
    boss.get_by_role("link", name="Vụ việc").first.click()
    boss.get_by_role("link", name=case.code).click()
    expect(boss.get_by_test_id("informant")).not_to_contain_text("Cộng tác viên bản Hon")
    take_step(boss, Status.PLAN_APPROVED)
    boss.locator("[name=decision_no]").fill("15")
    save(boss)
    expect(boss.get_by_test_id("case-timeline")).to_contain_text("Số quyết định")
    # An emergency case (the abuser is a parent): no 2-working-day limit, "trừ trường hợp khẩn cấp" (NĐ 56 Art. 28.4).
    expect(boss.get_by_test_id("clock-approval_2wd")).to_have_count(0)

    # The officer implements, reviews and closes.
    page.goto(case_url)
    take_step(page, Status.IMPLEMENTATION)
    save(page)
    take_step(page, Status.REVIEW)
    rate(page, {"harm": "low", "access": "low", "obstacles": "medium", "self_protection": "low", "recovery": "low"})
    page.locator("input[name=conclusion][value=close]").check()
    save(page)
    take_step(page, Status.CLOSURE_PROPOSED)
    page.locator("[name=note]").fill("Em đã đi học đều, gia đình cam kết")
    save(page)
    expect(page.get_by_test_id("case-status")).to_have_text("Đề nghị Chủ tịch kết thúc vụ việc")
    expect(page.get_by_test_id(f"step-{Status.CLOSED}")).to_have_count(0)  # the chairman decides

    # The chairman decides the closure (Art. 30.1c).
    boss.goto(case_url)
    take_step(boss, Status.CLOSED)
    boss.locator("[name=decision_no]").fill("27")
    save(boss)
    expect(boss.get_by_test_id("next-steps")).to_have_count(0)
    expect(boss.get_by_test_id("case-status")).to_have_text("Đã kết thúc")
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    closure = boss.request.get(f"{live_server.url}/cases/{case.pk}/forms/closure/")
    assert "27/QĐ-UBND" in closure.text() and "CHỦ TỊCH" in closure.text()
    mau_06 = page.request.get(f"{live_server.url}/cases/{case.pk}/forms/06/")
    assert "RÀ SOÁT, ĐÁNH GIÁ TÌNH TRẠNG TRẺ EM" in mau_06.text()

    # A village collaborator of the same village cannot find it.
    village = new_context().new_page()
    log_in(village, live_server.url, collaborator)
    expect(village.get_by_role("link", name="Vụ việc")).to_have_count(0)
    assert village.goto(f"{live_server.url}/cases/?status=closed").status == 403  # no menu item, no page
    assert village.goto(case_url).status == 404
    assert village.goto(f"{live_server.url}/cases/{case.pk}/forms/01/?format=pdf").status == 404
    village.goto(f"{live_server.url}/registry/children/{child.pk}/")
    expect(village.get_by_test_id("child-name")).to_have_text("Sùng Thị Sua")
    expect(village.get_by_test_id("child-cases")).to_have_count(0)
    expect(village.locator("body")).not_to_contain_text(re.compile(re.escape(case.code)))
