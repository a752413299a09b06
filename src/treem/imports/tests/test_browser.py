"""Chromium: a commune officer uploads a messy workbook (a title row, an unrecognised name column, names typed in
the TCVN3 font, an ID typed as a number, an impossible date), fixes the mapping, sees the error, downloads the error
workbook, saves the valid rows and finds an imported child without diacritics — in Vietnamese."""

from __future__ import annotations

from pathlib import Path

import pytest
import xlsxwriter
from playwright.sync_api import Page, expect
from python_calamine import CalamineWorkbook

from treem.accounts import roles
from treem.accounts.tests.factories import PASSWORD
from treem.imports.outputs import STATUS_HEADER
from treem.registry.models import Child

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reference_data(roles_loaded) -> None:  # noqa: ANN001
    """The roles; the shipped reference rows a flush removes come back through the apps' post_migrate hooks."""


@pytest.fixture
def officer(tree, make_user, reference_data):  # noqa: ANN001, ANN201
    return make_user(roles.COMMUNE_OFFICER, tree.commune)


@pytest.fixture
def messy_workbook(tmp_path: Path) -> Path:
    path = tmp_path / "ds tre xa Khun Ha.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("DS 2024")
    sheet.write(0, 0, "DANH SÁCH TRẺ EM XÃ KHUN HÁ NĂM 2024")
    sheet.write_row(1, 0, ["STT", "Tên bé", "Ngày sinh", "Giới tính", "Dân tộc", "Số định danh", "Bản"])
    sheet.write_row(2, 0, [1, "Giµng A Tñ", "12/07/2015", "Nam", "Mông"])
    sheet.write_number(2, 5, 12215000222)  # typed as a number: Excel dropped the leading zero
    sheet.write(2, 6, "Hon")
    sheet.write_row(3, 0, [2, "Lß ThÞ Mai", "31/02/2016", "Nữ", "Thái", "", "Lầm"])
    book.close()
    return path


def test_upload_map_check_download_commit_and_find(live_server, page: Page, officer, messy_workbook: Path) -> None:  # noqa: ANN001
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(officer.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    page.get_by_role("link", name="Nhập dữ liệu").click()
    page.get_by_label("Tệp bảng tính").set_input_files(messy_workbook)
    page.get_by_role("button", name="Tải lên và kiểm tra các cột").click()

    expect(page.get_by_label("Ngày sinh")).to_have_value("date_of_birth")
    expect(page.get_by_label("Tên bé")).to_have_value("")
    expect(page.get_by_test_id("mapping-table")).to_contain_text("Giµng A Tñ")
    page.get_by_role("button", name="Kiểm tra các dòng").click()
    expect(page.get_by_role("alert")).to_contain_text("Họ và tên")
    page.get_by_label("Tên bé").select_option(label="Họ và tên")
    page.get_by_role("button", name="Kiểm tra các dòng").click()

    expect(page.get_by_test_id("job-state")).to_have_text("Đã kiểm tra")
    issues = page.get_by_test_id("issue-table")
    expect(issues).to_contain_text("Ngày không tồn tại")
    expect(issues).to_contain_text("Giàng A Tủ")  # the TCVN3 name, converted (a warning says so)
    expect(issues).to_contain_text("Giµng A Tñ → Giàng A Tủ")  # what was changed, cell by cell
    expect(issues).to_contain_text("12215000222 → 012215000222")

    with page.expect_download() as download:
        page.get_by_test_id("error-workbook").click()
    assert download.value.suggested_filename == "loi-ds tre xa Khun Ha.xlsx"
    rows = CalamineWorkbook.from_path(download.value.path()).get_sheet_by_index(0).to_python()
    status = rows[0].index(STATUS_HEADER)
    assert [r[status] for r in rows[1:]] == ["Cảnh báo", "Lỗi"]

    page.get_by_role("button", name="Lưu vào sổ").click()
    expect(page.get_by_test_id("job-result")).to_contain_text("1")
    assert Child.objects.get().personal_id == "012215000222"

    page.get_by_role("link", name="Mở danh sách trẻ em").click()
    page.get_by_test_id("child-search").fill("giang a tu")
    expect(page.get_by_test_id("child-table")).to_contain_text("Giàng A Tủ")
