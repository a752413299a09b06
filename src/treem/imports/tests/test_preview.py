"""The import preview shows what the import will do: every row (paged), what the cleaners changed in each cell,
which rows update which registered child, and the footer rows under the table (signatures, totals, the date line)
skipped rather than counted as errors."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
import xlsxwriter
from django.urls import reverse
from python_calamine import CalamineWorkbook

from treem.core.ids import make_personal_id
from treem.imports import views
from treem.imports.cleaning import RowContext, clean_row, unit_keys
from treem.imports.models import ImportJob
from treem.imports.outputs import STATUS_HEADER
from treem.imports.services import import_commit, import_validate, job_create
from treem.registry import services as registry
from treem.registry.models import Child

pytestmark = pytest.mark.django_db

HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Số định danh", "Thôn"]
PID = make_personal_id("012", dt.date(2015, 1, 20), "M", 1)  # 012215000001
TCVN3_NAME = "NguyÔn ThÞ H\xad¬ng"  # Nguyễn Thị Hương typed in a .VnTime font
FOOTER = [
    ["", "Tổng cộng: 3 trẻ"],
    [],
    ["", "Người lập biểu", "", "", "", "TM. UBND XÃ", ""],
    ["", "(Ký, ghi rõ họ tên)", "", "", "", "CHỦ TỊCH"],
    ["", "Lò Văn Hùng", "", "", "", "Vàng A Sính"],
    ["", "", "", "", "Khun Há, ngày … tháng … năm 2025"],
]


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Danh sách")
    sheet.write_row(0, 0, ["DANH SÁCH TRẺ EM XÃ KHUN HÁ"])
    sheet.write_row(1, 0, HEADER)
    for r, values in enumerate(rows, start=2):
        sheet.write_row(r, 0, values)
    book.close()
    return path


def context() -> RowContext:
    villages = dict.fromkeys(unit_keys("Bản Hon"), "Bản Hon")
    return RowContext("Xã Khun Há", unit_keys("Xã Khun Há"), villages, today=dt.date(2026, 1, 1))


def changes(result) -> dict[str, tuple[str, str]]:  # noqa: ANN001
    return {column: (before, after) for column, before, after, _why in result.changes}


# --- the cleaners say what they changed -------------------------------------------------------------------------


def test_the_cleaners_record_what_they_changed() -> None:
    raw = {"full_name": "SÙNG  A PÁO", "date_of_birth": "20/01/2015", "sex": "Nam", "personal_id": 12215000001,
           "village": "hon", "ethnicity": "hmong"}  # fmt: skip
    result = clean_row(3, raw, context())
    assert result.status == "ok"
    assert changes(result) == {
        "full_name": ("SÙNG A PÁO", "Sùng A Páo"),
        "personal_id": ("12215000001", PID),
        "village": ("hon", "Bản Hon"),
        "ethnicity": ("hmong", "Mông"),
    }
    unchanged = clean_row(4, {"full_name": "Sùng A Páo", "date_of_birth": "20/01/2015", "sex": "Nam",
                              "personal_id": PID, "village": "Bản Hon"}, context())  # fmt: skip
    assert unchanged.changes == []


def test_a_repaired_font_is_a_change_of_its_cell() -> None:
    result = clean_row(3, {"full_name": TCVN3_NAME, "date_of_birth": "2015", "sex": "Nữ"}, context())
    ((column, before, after, why),) = result.changes
    assert (column, before, after) == ("full_name", TCVN3_NAME, "Nguyễn Thị Hương")
    assert "TCVN3" in str(why)
    in_a_legacy_column = clean_row(3, {"full_name": TCVN3_NAME, "date_of_birth": "2015", "sex": "Nữ"},
                                   RowContext("X", set(), {}, encodings={"full_name": "tcvn3"}))  # fmt: skip
    assert [c[:3] for c in in_a_legacy_column.changes] == [("full_name", TCVN3_NAME, "Nguyễn Thị Hương")]


# --- footer rows ------------------------------------------------------------------------------------------------


@pytest.fixture
def family(tree, officer):  # noqa: ANN001, ANN201
    household = registry.household_create(actor=officer, commune=tree.commune, village=tree.village, head_name="Páo")
    return registry.child_register(
        actor=officer, household=household,
        data=registry.ChildInput(full_name="Sùng A Páo", sex="M", date_of_birth=dt.date(2015, 1, 20)),
    )  # fmt: skip


def checked_job(tree, officer, tmp_path: Path, rows: list[list[object]]) -> ImportJob:  # noqa: ANN001
    path = write_xlsx(tmp_path / "ds.xlsx", rows)
    return import_validate(job_create(actor=officer, unit=tree.commune, path=path, original_name="ds.xlsx"))


DATA = [
    [1, "SÙNG A PÁO", "20/01/2015", "Nam", "Mông", 12215000001, "Hon"],
    [2, "Lò Thị Mai", "31/02/2016", "Nữ", "Thái", "", "Bản Hon"],
    [3, "Vàng Thị Pà", "12/07/2015", "Nữ", "Mông", "", "Bản Hon"],
]


def test_footer_rows_are_skipped_not_errors(tree, officer, tmp_path: Path) -> None:  # noqa: ANN001
    job = checked_job(tree, officer, tmp_path, DATA + FOOTER)
    assert job.counts == {"ok": 2, "error": 1, "footer": 5}  # the blank line is no row at all
    assert sorted(job.issues.filter(status="footer").values_list("source_row", flat=True)) == [6, 8, 9, 10, 11]
    job = import_commit(job, actor=officer)
    assert job.result["children_created"] == 2
    assert job.result["rows_skipped_error"] == 1
    assert job.result["rows_skipped_footer"] == 5


def test_a_bad_data_row_is_no_footer_row(tree, officer, tmp_path: Path) -> None:  # noqa: ANN001
    """Only a row without a date of birth, at or below a footer line, is a footer row."""
    rows = [[1, "Ngày mai", "ngày 5 tháng 3 năm 2015", "", "", "", ""], [2, "Lò Thị Mai", "31/02/2016", "Nữ"]]
    job = checked_job(tree, officer, tmp_path, rows)
    assert job.counts == {"error": 2}


def test_the_error_workbook_keeps_every_row_in_vietnamese(client, tree, officer, tmp_path: Path) -> None:  # noqa: ANN001
    job = checked_job(tree, officer, tmp_path, DATA + FOOTER)
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    client.cookies["treem_language"] = "en"
    response = client.get(reverse("imports:errors", args=[job.pk]))
    rows = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content))).get_sheet_by_index(0)
    table = rows.to_python()
    status = table[0].index(STATUS_HEADER)
    assert [r[status] for r in table[1:]] == ["Hợp lệ", "Lỗi", "Hợp lệ"] + ["Bỏ qua (dưới bảng)"] * 5


# --- the preview page -------------------------------------------------------------------------------------------


def test_the_preview_shows_every_row_its_changes_and_the_child_it_updates(
    client, tree, officer, family, tmp_path: Path
) -> None:  # noqa: ANN001
    job = checked_job(tree, officer, tmp_path, DATA + FOOTER)
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("imports:detail", args=[job.pk]))
    assert [row.source_row for row in response.context["issues"]] == [3, 4, 5, 6, 8, 9, 10, 11]
    text = response.text
    assert "Vàng Thị Pà" in text  # a valid row, unchanged, is shown too
    assert "12215000001 → 012215000001" in text
    assert "SÙNG A PÁO → Sùng A Páo" in text
    assert "Hon → Bản Hon" in text
    assert reverse("registry:child_detail", args=[family.pk]) in text  # the child the first row updates
    assert "Sẽ cập nhật" in text
    assert "5 dòng dưới bảng" in text  # how many footer rows were skipped
    updates = client.get(reverse("imports:detail", args=[job.pk]), {"status": "update"}).context["issues"]
    assert [row.source_row for row in updates] == [3]
    assert [row.existing_child.pk for row in updates] == [family.pk]


def test_the_preview_pages_with_htmx(client, tree, officer, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    job = checked_job(tree, officer, tmp_path, DATA)
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("imports:detail", args=[job.pk]))
    assert 'hx-get="?page=2' in page.text
    response = client.get(reverse("imports:detail", args=[job.pk]), {"page": 2}, headers={"HX-Request": "true"})
    assert "<html" not in response.text
    assert "Vàng Thị Pà" in response.text and "Lò Thị Mai" not in response.text


def test_the_preview_links_only_a_child_the_user_may_see(client, tree, officer, family, tmp_path: Path) -> None:  # noqa: ANN001
    job = checked_job(tree, officer, tmp_path, DATA)
    Child.objects.filter(pk=family.pk).update(commune=tree.sibling, village=None, unit_path=tree.sibling.path)
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("imports:detail", args=[job.pk]), {"status": "update"})
    (row,) = response.context["issues"]
    assert row.existing_child is None and row.updates
    assert reverse("registry:child_detail", args=[family.pk]) not in response.text


def test_the_command_line_check_says_how_many_footer_rows_it_skipped(tree, tmp_path: Path) -> None:  # noqa: ANN001
    from django.core.management import call_command

    out = io.StringIO()
    path = write_xlsx(tmp_path / "ds.xlsx", DATA + FOOTER)
    call_command("import", str(path), unit=tree.commune.code, dry_run=True, stdout=out)
    assert "error 1, duplicate 0, footer rows skipped 5 (header at row 2)" in out.getvalue()


@pytest.mark.parametrize(
    ("cell", "why"),
    [(12215000001, "leading zero"), (12215000001.0, "leading zero"), ("012 215 000 001", "12 digits")],
)
def test_an_id_change_says_what_was_done(cell: object, why: str) -> None:
    raw = {"full_name": "Sùng A Páo", "date_of_birth": "20/01/2015", "sex": "Nam", "personal_id": cell}
    ((column, _before, after, reason),) = clean_row(3, raw, context()).changes
    assert (column, after) == ("personal_id", PID)
    assert why in reason.msgid
