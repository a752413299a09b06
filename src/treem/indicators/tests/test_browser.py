"""Chromium: a province specialist opens the indicator table, drills into a commune, and the figure equals the
commune's registry list filtered the same way (girls aged 0–5 living in the commune)."""

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
    from treem.indicators.definitions import sync

    sync()


def test_province_specialist_drills_into_a_commune_and_the_figure_matches_the_registry(
    live_server, page: Page, tree, viewer, editor, reference_data
) -> None:  # noqa: ANN001
    today = today_vn()
    period = Period.containing(today, PeriodKind.HALF)  # counted on its last day; ages chosen the same today

    def born(years: int, days: int = 100) -> dt.date:
        return years_before(today, years) - dt.timedelta(days=days)

    people = [  # (commune, village, sex, date of birth)
        *[(tree.commune, tree.village, "F", born(2, i)) for i in range(4)],  # girls 0–5 in Hon
        *[(tree.commune, tree.sibling_village, "F", born(4, i)) for i in range(3)],  # girls 0–5 in Lầm
        *[(tree.commune, tree.village, "M", born(3, i)) for i in range(2)],  # boys 0–5
        *[(tree.commune, tree.village, "F", born(8, i)) for i in range(5)],  # girls 6–10
        *[(tree.sibling, None, "F", born(1, i)) for i in range(6)],  # girls 0–5 in the other commune
    ]
    for commune, village, sex, dob in people:
        household = registry.household_create(actor=editor, commune=commune, village=village, head_name="Chủ hộ")
        registry.child_register(
            actor=editor, household=household,
            data=registry.ChildInput(full_name=f"Lò Thị {dob:%d%m%Y}", sex=sex, date_of_birth=dob),
        )  # fmt: skip
    services.compute(period, [tree.province])

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(viewer.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    page.get_by_role("link", name="Chỉ tiêu").first.click()
    expect(page.get_by_test_id("unit-name")).to_have_text("Tỉnh Lai Châu")
    expect(page.get_by_test_id(f"cell-{tree.province.pk}-")).to_have_text("20")
    page.get_by_test_id("figures-table").get_by_role("link", name="Xã Khun Há").click()
    expect(page.get_by_test_id("unit-name")).to_have_text("Xã Khun Há")
    expect(page.get_by_test_id("chart")).to_be_visible()
    if os.environ.get("TREEM_SCREENSHOTS"):
        page.screenshot(path=os.environ["TREEM_SCREENSHOTS"] + "/indicator-table-sex-age.png", full_page=True)
    figure = page.get_by_test_id(f"cell-{tree.commune.pk}-age_group=0-5;sex=F").inner_text()
    assert figure == "7"

    # another breakdown is swapped in place (HTMX: the page is not reloaded) and the address follows
    page.evaluate("window.treemKept = true")
    page.get_by_label("Phân tổ").select_option(label="Thành thị, nông thôn")
    expect(page.get_by_test_id(f"cell-{tree.commune.pk}-area=rural")).to_have_text("14")
    expect(page).to_have_url(re.compile(r"by=2"))
    assert page.evaluate("window.treemKept") is True
    expect(page.get_by_test_id("crumbs")).to_contain_text("Tỉnh Lai Châu")
    if os.environ.get("TREEM_SCREENSHOTS"):
        page.screenshot(path=os.environ["TREEM_SCREENSHOTS"] + "/indicator-table.png", full_page=True)

    # the same filter on the registry's list of children
    page.get_by_role("link", name="Trẻ em").first.click()
    page.locator("details summary", has_text="Bộ lọc").click()
    page.locator("#picker-unit").fill("khun ha")  # the unit picker, searched on demand
    choice = page.get_by_role("button", name=re.compile(r"^Xã Khun Há"))
    expect(choice).to_be_visible()  # the search's answer is in before the choice is clicked
    choice.click()
    expect(page.get_by_test_id("unit-chosen")).to_contain_text("Xã Khun Há", timeout=15_000)  # a loaded CI machine
    page.get_by_label("Độ tuổi").select_option("0-5")
    page.get_by_label("Giới tính").select_option(label="Nữ")
    expect(page.get_by_test_id("result-count")).to_have_text(re.compile(rf"^{figure} trẻ"))
