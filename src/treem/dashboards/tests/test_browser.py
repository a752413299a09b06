"""Chromium: a province specialist opens the province dashboard from the menu, drills into a commune, and reads the
same figure as the indicator table and the registry list; the charts and the map are drawn under the page's CSP."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
from playwright.sync_api import Page, expect

from treem.accounts.tests.factories import PASSWORD
from treem.core.dates import today_vn, years_before
from treem.core.periods import Period, PeriodKind
from treem.indicators import services
from treem.registry import services as registry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reference_data(roles_loaded):  # noqa: ANN001, ANN201
    # A transactional test flushes the data migrations' rows: load the reference data again.
    from treem.dashboards.index import sync as index_sync
    from treem.indicators.definitions import sync

    sync()
    index_sync()


def test_province_dashboard_drills_into_a_commune_and_agrees_with_the_table_and_the_list(
    live_server, page: Page, tree, viewer, editor, reference_data
) -> None:  # noqa: ANN001
    today = today_vn()
    period = Period.containing(today, PeriodKind.HALF)  # counted on its last day; the list counts today

    def born(years: int, days: int = 100) -> dt.date:
        return years_before(today, years) - dt.timedelta(days=days)

    people = [
        *[(tree.commune, tree.village, "F", born(2, i)) for i in range(4)],
        *[(tree.commune, tree.sibling_village, "M", born(7, i)) for i in range(5)],
        *[(tree.commune, tree.village, "F", born(12, i)) for i in range(3)],
        *[(tree.sibling, None, "F", born(1, i)) for i in range(6)],
    ]
    for commune, village, sex, dob in people:
        household = registry.household_create(actor=editor, commune=commune, village=village, head_name="Chủ hộ")
        registry.child_register(
            actor=editor, household=household,
            data=registry.ChildInput(full_name=f"Lò Thị {dob:%d%m%Y}", sex=sex, date_of_birth=dob),
        )  # fmt: skip
    for unit, (lat, lon) in ((tree.commune, (22.35, 103.30)), (tree.sibling, (22.40, 103.45))):
        unit.latitude, unit.longitude = lat, lon
        unit.save(update_fields=["latitude", "longitude"])
    services.compute(period, [tree.province])

    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(viewer.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    page.get_by_test_id("menu").get_by_role("link", name="Bảng tổng hợp").click()
    expect(page.get_by_test_id("unit-name")).to_have_text("Tỉnh Lai Châu")
    expect(page.get_by_test_id("kf-children")).to_have_text("18")
    expect(page.locator("[data-chart=age_sex] svg").first).to_be_visible()
    expect(page.locator("[data-chart=map] svg").first).to_be_visible()
    expect(page.locator("[data-chart=ranked] svg").first).to_be_visible()
    if os.environ.get("TREEM_SCREENSHOTS"):
        page.screenshot(path=os.environ["TREEM_SCREENSHOTS"] + "/dashboard-test.png", full_page=True)

    # drill down: the ranked comparison lists the communes, each a link to its own dashboard
    page.get_by_test_id("table-ranked").get_by_role("link", name="Xã Khun Há").click()
    expect(page.get_by_test_id("unit-name")).to_have_text("Xã Khun Há")
    expect(page.get_by_test_id("crumbs")).to_contain_text("Tỉnh Lai Châu")
    figure = page.get_by_test_id("kf-children").inner_text()
    assert figure == "12"
    girls = page.get_by_test_id("age_sex--1").inner_text()  # the total row, second column: girls
    assert girls == "7"

    # the same figures in the indicator table …
    page.get_by_test_id("table-link-age_sex").click()
    expect(page.get_by_test_id("unit-name")).to_have_text("Xã Khun Há")
    expect(page.get_by_test_id(f"cell-{tree.commune.pk}-")).to_have_text(figure)
    expect(page.get_by_test_id(f"cell-{tree.commune.pk}-sex=F")).to_have_text(girls)

    # … and in the registry list behind the figure
    page.go_back()
    page.get_by_test_id("table-age_sex").get_by_role("link", name="Tổng số").click()
    expect(page.get_by_test_id("result-count")).to_have_text(re.compile(rf"^{figure} trẻ"))
    assert not problems, problems
