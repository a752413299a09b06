"""Chromium: a commune officer finds a child without diacritics, opens the household, adds a child,
puts the child in a special-circumstance group from a date and sees it in the history — in Vietnamese."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from treem.accounts.tests.factories import PASSWORD
from treem.registry.models import Child

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def roles_and_types(roles_loaded):  # noqa: ANN001, ANN201
    """The roles; the shipped reference rows a flush removes come back through the apps' post_migrate hooks."""


def test_search_household_add_child_and_group(live_server, page: Page, officer, child, roles_and_types) -> None:  # noqa: ANN001
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(officer.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    page.get_by_role("link", name="Trẻ em").first.click()
    page.get_by_test_id("child-search").fill("sua")
    expect(page.get_by_test_id("child-table")).to_contain_text("Sùng Thị Sua")
    page.get_by_role("link", name="Sùng Thị Sua").click()
    expect(page.get_by_test_id("child-name")).to_have_text("Sùng Thị Sua")

    page.get_by_role("link", name="Hộ gia đình Sùng A Páo").click()
    expect(page.get_by_test_id("household-head")).to_contain_text("Sùng A Páo")
    page.get_by_test_id("add-child").click()

    page.get_by_label("Họ và tên").fill("sùng thị  mỷ")
    page.get_by_label("Nữ").check()
    page.get_by_label(re.compile(r"^Ngày sinh")).fill("31/02/2020")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("alert").first).to_contain_text("Ngày không tồn tại")

    page.get_by_label(re.compile(r"^Ngày sinh")).fill("12/08/2020")
    page.get_by_label("Dân tộc").select_option("Mông")
    page.get_by_label("Họ tên cha").fill("Sùng A Páo")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_test_id("household-children")).to_contain_text("Sùng Thị Mỷ")

    page.get_by_role("link", name="Sùng Thị Mỷ").click()
    page.get_by_test_id("add-circumstance").click()
    page.get_by_label("Nhóm hoặc nguy cơ").select_option(label="d. Trẻ em khuyết tật")
    # The sub-types follow the group (HTMX): group d's three, in order.
    expect(page.get_by_label("Phân nhóm").locator("option")).to_have_count(4)
    expect(page.get_by_label("Phân nhóm").locator("option").nth(1)).to_contain_text("d.1")
    page.get_by_label("Từ ngày").fill("01/03/2024")
    page.get_by_role("button", name="Lưu").click()
    # The profile says no disability: the page warns and offers to update it.
    expect(page.get_by_test_id("disability-warning")).to_contain_text("không khuyết tật")
    page.get_by_label("Mức độ khuyết tật (hồ sơ của trẻ)").select_option(label="Nặng")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("main")).to_contain_text("Hồ sơ của trẻ đã được cập nhật: khuyết tật Nặng.")
    expect(page.get_by_test_id("circumstances")).to_contain_text("Trẻ em khuyết tật")
    expect(page.get_by_test_id("timeline")).to_contain_text("Trẻ em khuyết tật")
    assert Child.objects.get(full_name="Sùng Thị Mỷ").circumstances.get().type.code == "d"
    assert Child.objects.get(full_name="Sùng Thị Mỷ").disability == "severe"


def test_a_likely_duplicate_is_shown_before_saving(
    live_server, page: Page, officer, child, tree, roles_and_types
) -> None:  # noqa: ANN001
    """Sùng Thị Sua typed again without diacritics in another household: the form shows her record first."""
    from treem.registry import services

    other = services.household_create(
        actor=officer, commune=tree.commune, village=tree.village, head_name="Vàng A Sính"
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(officer.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    page.goto(f"{live_server.url}/registry/households/{other.pk}/children/new/")
    page.get_by_label("Họ và tên").fill("Sung Thi Sua")
    page.get_by_label("Nữ").check()
    page.get_by_label(re.compile(r"^Ngày sinh")).fill("02/05/2013")
    page.get_by_label("Dân tộc").select_option("Mông")
    page.get_by_role("button", name="Lưu", exact=True).click()

    warning = page.get_by_test_id("likely-duplicates")
    expect(warning).to_contain_text("Trẻ này có thể đã có trong sổ theo dõi")
    expect(warning.get_by_role("link", name="Sùng Thị Sua")).to_have_attribute(
        "href", f"/registry/children/{child.pk}/"
    )
    assert not Child.objects.filter(full_name="Sung Thi Sua").exists()

    page.get_by_test_id("save-different").click()
    expect(page.get_by_test_id("household-children")).to_contain_text("Sung Thi Sua")
    assert Child.objects.filter(full_name="Sung Thi Sua", household=other).exists()


def test_the_unit_filter_is_searched_and_keeps_the_name_search(
    live_server, page: Page, viewer, child, sibling_child, roles_and_types
) -> None:  # noqa: ANN001
    """A province user types a village's name without diacritics, picks it and filters: `unit=` in the address, the
    name search untouched by what was typed in the picker."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(viewer.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"{live_server.url}/registry/children/")
    page.get_by_test_id("child-search").fill("sua")
    expect(page.get_by_test_id("child-table")).to_contain_text("Lò Thị Sua")
    page.locator("details summary", has_text="Bộ lọc").click()
    page.locator("#picker-unit").fill("ban hon")
    page.get_by_role("option").filter(has_text="Bản Hon").locator("button").click()
    expect(page.get_by_test_id("unit-chosen")).to_contain_text("Bản Hon")
    page.get_by_role("button", name="Tìm", exact=True).click()
    expect(page).to_have_url(re.compile(rf"unit={child.village_id}"))
    expect(page).to_have_url(re.compile(r"q=sua&|q=sua$"))
    expect(page.get_by_test_id("child-table")).to_contain_text("Sùng Thị Sua")
    expect(page.get_by_test_id("child-table")).not_to_contain_text("Lò Thị Sua")
    # Back to every unit, something typed in the picker but nothing picked: the name search is still "sua".
    page.get_by_test_id("unit-chosen").get_by_role("button").click()
    page.locator("#picker-unit").fill("xyz")
    page.get_by_role("button", name="Tìm", exact=True).click()
    expect(page).not_to_have_url(re.compile(r"unit="))
    expect(page).to_have_url(re.compile(r"q=sua&|q=sua$"))
    expect(page.get_by_test_id("child-table")).to_contain_text("Lò Thị Sua")
