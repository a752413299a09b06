"""Chromium at 375 × 812: the officer's main pages fit a phone — no horizontal scroll, every table's cells (its key
column first) on screen as stacked cards, a header folded into a menu. Data from the demo's own seed."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from playwright.sync_api import Page, expect

from treem.accounts import roles
from treem.accounts.tests.factories import PASSWORD
from treem.cases.models import Case
from treem.demo import cases as demo_cases
from treem.demo import registry
from treem.demo.imports import seed_import
from treem.demo.services import _seed_delegation
from treem.demo.units import DemoArea
from treem.imports.models import ImportJob

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
HEADER_MAX = 64  # px: the brand, the language and the menu button on one line


@pytest.fixture
def khun_ha(tree, make_user, monkeypatch) -> SimpleNamespace:  # noqa: ANN001
    """Khun Há as the demo seeds it: a registry, cases at every step (one overdue), a checked import."""
    from treem.cases.clocks import clock_rules_sync

    clock_rules_sync()
    demo = [DemoArea(tree.province, [tree.commune, tree.sibling]), DemoArea(tree.other_province, [tree.far_commune])]
    monkeypatch.setattr(registry, "demo_areas", lambda: demo)
    officer = make_user(roles.COMMUNE_OFFICER, tree.commune, username=demo_cases.OFFICER)
    make_user(roles.CASE_WORKER, tree.commune, username=demo_cases.WORKER)
    make_user(roles.COMMUNE_CHAIRMAN, tree.commune, username=demo_cases.CHAIRMAN)
    make_user(roles.COMMUNE_VICE_CHAIRMAN, tree.commune, username=demo_cases.VICE)
    make_user(roles.COMMUNE_OFFICER, tree.far_commune, username="canbo.longkhanh")
    _seed_delegation(tree.commune)
    registry.seed_registry(children=300, actor=officer)
    demo_cases.seed_cases(commune=tree.commune, transfer_to=tree.far_commune)
    seed_import(commune=tree.commune, actor=officer)
    overdue = Case.objects.get(description__startswith="Trưởng bản báo")
    return SimpleNamespace(officer=officer, case=overdue, child=overdue.child)


def log_in(page: Page, base: str, user) -> None:  # noqa: ANN001
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_test_id("menu")).to_be_attached()


OFF_SCREEN = """() => {
  const width = window.innerWidth, out = [];
  for (const table of document.querySelectorAll('main table')) {
    const rows = table.querySelectorAll('tbody tr');
    for (const row of rows) {
      for (const cell of row.querySelectorAll('td')) {
        const r = cell.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue;  // not shown (an empty action cell)
        const what = `${table.dataset.testid}: ${cell.dataset.label || cell.className}`;
        if (r.left < -0.5 || r.right > width + 0.5) out.push(`${what} (${Math.round(r.left)}–${Math.round(r.right)})`);
      }
    }
  }
  return out;
}"""

KEYS_HIDDEN = """() => [...document.querySelectorAll('main table')].flatMap(table =>
  [...table.querySelectorAll('tbody tr')].filter(row => row.querySelectorAll('td').length > 1).filter(row => {
    const key = row.querySelector('td.key');
    if (!key) return true;
    const r = key.getBoundingClientRect();
    return r.width === 0 || r.left < 0 || r.right > window.innerWidth || !key.textContent.trim();
  }).map(row => table.dataset.testid))"""


def test_the_officers_pages_fit_a_phone(live_server, page: Page, khun_ha) -> None:  # noqa: ANN001
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, khun_ha.officer)
    pages = {
        "home": ("/", "subunits"),
        "child list": ("/registry/children/", "child-table"),
        "child page": (f"/registry/children/{khun_ha.child.pk}/", "circumstances"),
        "household page": (f"/registry/households/{khun_ha.child.household_id}/", "household-children"),
        "case list": ("/cases/", "case-table"),
        "case page": (f"/cases/{khun_ha.case.pk}/", "clock-table"),
        "import page": ("/imports/", "job-table"),
        "import preview": (f"/imports/{ImportJob.objects.get().pk}/", "issue-table"),
    }
    for name, (url, table) in pages.items():
        page.goto(f"{live_server.url}{url}")
        expect(page.get_by_test_id(table)).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
        assert page.evaluate(OFF_SCREEN) == [], name
        assert page.evaluate(KEYS_HIDDEN) == [], name
        header = page.locator("header").bounding_box()
        assert header is not None and header["height"] <= HEADER_MAX, (name, header)

    # the clock's "time left" and a description: one card, the state on screen, words not one per line
    page.goto(f"{live_server.url}/cases/{khun_ha.case.pk}/")
    state = page.get_by_test_id("clock-table").locator("td[data-label='Trạng thái']").first
    expect(state).to_contain_text("quá hạn")
    box = state.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"]
    key = page.get_by_test_id("clock-table").locator("td.key").first.bounding_box()
    assert key is not None and key["width"] > PHONE["width"] / 2

    # the household's children: the ID column is shown on every card
    page.goto(f"{live_server.url}/registry/households/{khun_ha.child.household_id}/")
    expect(page.get_by_test_id("household-children").locator("td[data-label='Số định danh']").first).to_be_visible()


def test_the_header_folds_into_a_menu_on_a_phone_only(live_server, page: Page, khun_ha) -> None:  # noqa: ANN001
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, khun_ha.officer)
    cases_link = page.get_by_role("navigation", name="Menu chính").get_by_role("link", name="Vụ việc")
    expect(cases_link).to_be_hidden()
    page.get_by_text("Menu", exact=True).click()
    expect(cases_link).to_be_visible()
    cases_link.click()
    expect(page.get_by_test_id("case-table")).to_be_visible()

    page.set_viewport_size({"width": 1280, "height": 800})
    expect(
        page.get_by_role("navigation", name="Menu chính").get_by_role("link", name="Trẻ em", exact=True)
    ).to_be_visible()
    expect(page.get_by_text("Menu", exact=True)).to_be_hidden()
