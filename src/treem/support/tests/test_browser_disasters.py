"""Chromium: a commune officer declares a flood on a village, proposes the children who lived there, marks one
affected with needs and one not affected with a reason (rows swap in place) — in Vietnamese."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from treem.support.models import AffectedStatus, Disaster

from .test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reference(roles_loaded):  # noqa: ANN001, ANN201
    """The roles; the shipped reference rows a flush removes come back through the apps' post_migrate hooks."""


def test_an_officer_declares_a_flood_and_marks_the_affected_children(
    live_server, page: Page, reference, tree, officer, request
) -> None:  # noqa: ANN001
    kids = request.getfixturevalue("kids")
    log_in(page, live_server.url, officer)
    page.get_by_role("link", name="Hỗ trợ", exact=True).click()
    page.get_by_test_id("disasters-link").click()
    form = page.get_by_test_id("disaster-form")
    form.get_by_label("Loại").select_option(label="Lũ, ngập lụt")
    form.get_by_label(tree.village.name).check()
    form.get_by_label("Từ ngày").fill("05/10/2025")
    form.get_by_label("Đến ngày").fill("10/10/2025")
    form.get_by_label("Tên", exact=True).fill("Lũ bản Hon")
    page.get_by_test_id("declare").click()
    expect(page.get_by_test_id("disaster-name")).to_have_text("Lũ bản Hon")
    page.get_by_test_id("propose").click()
    table = page.get_by_test_id("affected")
    expect(table).to_contain_text("Lò Thị A")
    expect(table).not_to_contain_text("Lò Văn F")  # moved away before the flood
    expect(table).not_to_contain_text("Lò Thị G")  # lives in Lầm, not hit
    row = page.get_by_test_id(f"affected-{kids.a.pk}")
    row.get_by_label("Lương thực, thực phẩm, nước sạch").check()
    row.get_by_label("Sách vở, đồ dùng học tập").check()
    row.get_by_test_id("confirm").click()
    expect(row.get_by_test_id("affected-status")).to_have_text("Bị ảnh hưởng")  # swapped in place (HTMX)
    row = page.get_by_test_id(f"affected-{kids.e.pk}")
    row.get_by_label("Lý do (không bị ảnh hưởng)").fill("Đang ở nhà người thân tại huyện")
    row.get_by_test_id("not-affected").click()
    expect(row.get_by_test_id("affected-status")).to_have_text("Không bị ảnh hưởng")
    event = Disaster.objects.get(name="Lũ bản Hon")
    rows = {r.child_id: r for r in event.affected.all()}
    assert rows[kids.a.pk].status == AffectedStatus.CONFIRMED
    assert set(rows[kids.a.pk].needs.values_list("code", flat=True)) == {"food", "school_supplies"}
    assert rows[kids.e.pk].reason == "Đang ở nhà người thân tại huyện"
