"""A commune's list of children in special circumstances, imported from a real workbook (built with openpyxl as
Excel users save it): groups in words and letters, several in one cell, one column per group marked x; dated
periods or none (they start on the day of the import, and the preview says so); case-data groups refused;
re-importing the list adds no period twice."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.urls import reverse

from treem.core.dates import format_vn, today_vn
from treem.imports.mapping import issue_messages
from treem.imports.models import ImportJob, JobStatus
from treem.imports.services import import_commit, import_validate, job_create
from treem.registry import services as registry
from treem.registry.models import Child, Circumstance, CircumstanceType
from treem.units.models import Unit

pytestmark = pytest.mark.django_db

TITLE = "DANH SÁCH TRẺ EM CÓ HOÀN CẢNH ĐẶC BIỆT XÃ KHUN HÁ"
WORDS_HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Thôn", "Hoàn cảnh đặc biệt",
                "Thời điểm rơi vào hoàn cảnh đặc biệt", "Ngày thoát khỏi"]  # fmt: skip
WORDS_ROWS: list[list[Any]] = [
    [1, "Sùng Thị Sua", "02/05/2013", "Nữ", "Hon", "Mồ côi cả cha và mẹ", dt.datetime(2020, 3, 1), None],
    [2, "Lò Văn Minh", dt.datetime(2016, 1, 20), "Nam", "Lầm", "Khuyết tật; Nhiễm HIV/AIDS", "15/06/2021",
     "31/12/2024"],
    [3, "Vàng Thị Pà", "12/07/2015", "Nữ", "Hon", "Nhóm b", None, None],
    [4, "Giàng A Chư", "01/01/2014", "Nam", "Hon", "Bị xâm hại tình dục", "01/02/2024", None],
    [5, "Lù Thị Dính", "03/03/2012", "Nữ", "Hon", "Khuyết tật, mồ côi cha", None, None],
    [6, "Thào A Tủa", "09/09/2011", "Nam", "Lầm", "Bỏ học kiếm sống\nđ", "01/09/2023", None],
]  # fmt: skip
X_HEADER = ["TT", "Họ và tên", "Ngày sinh", "Giới tính", "a. Mồ côi cả cha và mẹ", "Khuyết tật", "Nhóm đ",
            "Bỏ học kiếm sống", "Bị bỏ rơi", "Ngày bắt đầu", "Ngày kết thúc"]  # fmt: skip
X_ROWS: list[list[Any]] = [
    [1, "Sùng Thị Sua", "02/05/2013", "Nữ", "x", None, None, None, None, "01/03/2020", None],
    [2, "Lò Văn Minh", "20/01/2016", "Nam", None, "X", "x", None, None, "15/06/2021", "31/12/2024"],
    [3, "Vàng Thị Pà", "12/07/2015", "Nữ", None, None, None, None, "x", None, None],
    [4, "Thào A Tủa", "09/09/2011", "Nam", None, None, "x", "x", None, "01/09/2023", None],
    [5, "Lù Thị Dính", "03/03/2012", "Nữ", None, "?", None, None, None, None, None],
]  # fmt: skip


def workbook(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "HCĐB"
    sheet.append([TITLE])
    sheet.append([])
    sheet.append(header)
    for values in rows:
        sheet.append(values)
    for row in sheet.iter_rows(min_row=4):
        for cell in row:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "DD/MM/YYYY"
    book.save(path)
    return path


def check(unit: Unit, path: Path, actor: object) -> ImportJob:
    return import_validate(job_create(actor=actor, unit=unit, path=path, original_name=path.name))


def run(unit: Unit, path: Path, actor: object) -> ImportJob:
    return import_commit(check(unit, path, actor), actor=actor)


def periods(name: str) -> list[tuple[str, dt.date, dt.date | None]]:
    child = Child.objects.get(full_name=name)
    rows = child.circumstances.order_by("type__sort_order", "valid_from")
    return [(c.type.code, c.valid_from, c.valid_to) for c in rows]


def messages_of(job: ImportJob, source_row: int) -> str:
    return "; ".join(
        f"{column}: {text}" for column, text in issue_messages(job.issues.get(source_row=source_row).messages)
    )


def test_groups_in_words_several_in_a_cell_with_and_without_dates(tree, officer, tmp_path: Path) -> None:  # noqa: ANN001
    path = workbook(tmp_path / "hcdb.xlsx", WORDS_HEADER, WORDS_ROWS)
    job = check(tree.commune, path, officer)
    assert {job.mapping[str(i)] for i in (5, 6, 7)} == {"special_groups", "group_from", "group_to"}
    assert job.counts == {"ok": 4, "error": 2, "groups_start_on_import": 1}  # Pà: no start date
    assert "dữ liệu vụ việc" in messages_of(job, 7)  # Chư: a case-data group, refused with its reason
    assert "hồ sơ vụ việc" in messages_of(job, 7)
    assert "Hoàn cảnh đặc biệt: Không đọc được nhóm hoàn cảnh đặc biệt 'mồ côi cha'" in messages_of(job, 8)

    job = import_commit(job, actor=officer)
    today = today_vn()
    assert periods("Sùng Thị Sua") == [("a", dt.date(2020, 3, 1), None)]
    assert periods("Lò Văn Minh") == [("d", dt.date(2021, 6, 15), dt.date(2024, 12, 31)),
                                      ("đ", dt.date(2021, 6, 15), dt.date(2024, 12, 31))]  # fmt: skip
    assert periods("Vàng Thị Pà") == [("b", today, None)]
    assert periods("Thào A Tủa") == [("đ", dt.date(2023, 9, 1), None), ("h", dt.date(2023, 9, 1), None)]
    assert not Child.objects.filter(full_name__in=["Giàng A Chư", "Lù Thị Dính"]).exists()  # errors: not stored
    assert not Circumstance.objects.filter(type__confidential=True).exists()
    assert job.result["circumstances_created"] == 6
    version = Circumstance.objects.get(child__full_name="Sùng Thị Sua").history.get()
    assert (version.history_type, version.history_user) == ("+", officer)
    assert version.history_change_reason == f"Nhập từ tệp hcdb.xlsx (#{job.pk})"


def test_one_column_per_group_marked_x(tree, officer, tmp_path: Path) -> None:  # noqa: ANN001
    job = check(tree.commune, workbook(tmp_path / "x.xlsx", X_HEADER, X_ROWS), officer)
    assert [job.mapping[str(i)] for i in range(4, 11)] == [
        "group_a", "group_d", "group_dd", "group_h", "group_b", "group_from", "group_to"
    ]  # fmt: skip
    assert job.counts == {"ok": 4, "error": 1, "groups_start_on_import": 1}
    assert "Nhóm d (đánh dấu x): Ghi x vào cột của nhóm" in messages_of(job, 8)
    import_commit(job, actor=officer)
    assert periods("Sùng Thị Sua") == [("a", dt.date(2020, 3, 1), None)]
    assert periods("Lò Văn Minh") == [("d", dt.date(2021, 6, 15), dt.date(2024, 12, 31)),
                                      ("đ", dt.date(2021, 6, 15), dt.date(2024, 12, 31))]  # fmt: skip
    assert periods("Vàng Thị Pà") == [("b", today_vn(), None)]
    assert periods("Thào A Tủa") == [("đ", dt.date(2023, 9, 1), None), ("h", dt.date(2023, 9, 1), None)]


def test_a_case_data_group_marked_x_is_refused(tree, officer, tmp_path: Path) -> None:  # noqa: ANN001
    header = ["Họ và tên", "Ngày sinh", "Giới tính", "Khuyết tật", "Trẻ em bị mua bán"]
    rows = [["Sùng Thị Sua", "02/05/2013", "Nữ", "x", ""], ["Lò Văn Minh", "20/01/2016", "Nam", "x", "x"]]
    job = check(tree.commune, workbook(tmp_path / "m.xlsx", header, rows), officer)
    assert job.counts["error"] == 1
    assert "Nhóm m (Trẻ em bị mua bán) là dữ liệu vụ việc" in messages_of(job, 5)


def test_reimporting_the_list_adds_no_period_twice(tree, officer, tmp_path: Path) -> None:  # noqa: ANN001
    first = run(tree.commune, workbook(tmp_path / "v1.xlsx", WORDS_HEADER, WORDS_ROWS), officer)
    stored = set(Circumstance.objects.values_list("pk", "child_id", "type_id", "valid_from", "valid_to"))
    again = run(tree.commune, workbook(tmp_path / "v2.xlsx", WORDS_HEADER, WORDS_ROWS), officer)
    assert set(Circumstance.objects.values_list("pk", "child_id", "type_id", "valid_from", "valid_to")) == stored
    assert again.result["children_updated"] == first.result["children_created"] == 4
    assert again.result["circumstances_kept"] == first.result["circumstances_created"] == 6
    assert not again.result.get("circumstances_created") and not again.result.get("circumstances_extended")

    # the same list a year later, with earlier start dates, an end date moved on and no dates at all
    later = [list(r) for r in WORDS_ROWS]
    later[0][6] = "01/01/2019"  # Sua in a since 2019: the period starts earlier
    later[1][7] = None  # Minh still in d and đ: the period is open again
    later[5][6] = None  # Tủa, no start date: today lies in his periods already
    run(tree.commune, workbook(tmp_path / "v3.xlsx", WORDS_HEADER, later), officer)
    assert periods("Sùng Thị Sua") == [("a", dt.date(2019, 1, 1), None)]
    assert periods("Lò Văn Minh") == [("d", dt.date(2021, 6, 15), None), ("đ", dt.date(2021, 6, 15), None)]
    assert periods("Thào A Tủa") == [("đ", dt.date(2023, 9, 1), None), ("h", dt.date(2023, 9, 1), None)]
    assert Circumstance.objects.count() == 6
    extended = Circumstance.objects.get(child__full_name="Sùng Thị Sua").history.order_by("history_id").last()
    assert extended.history_type == "~" and extended.history_change_reason.startswith("Nhập từ tệp v3.xlsx")


def test_periods_already_in_the_registry(tree, officer, tmp_path: Path) -> None:  # noqa: ANN001
    """An ended period is not reopened by a later one (a new period starts); a period from a case is left as it is;
    the import never shortens a period."""
    header = ["Họ và tên", "Ngày sinh", "Giới tính", "Hoàn cảnh đặc biệt", "Từ ngày", "Đến ngày"]
    run(tree.commune, workbook(tmp_path / "a.xlsx", header, [
        ["Sùng Thị Sua", "02/05/2013", "Nữ", "d", "01/01/2018", "31/12/2019"],
        ["Lò Văn Minh", "20/01/2016", "Nam", "c", "01/01/2022", None],
    ]), officer)  # fmt: skip
    minh = Child.objects.get(full_name="Lò Văn Minh")
    case_row = registry.circumstance_add_from_case(
        actor=officer, child=minh, type=CircumstanceType.objects.get(kind="special", code="b"),
        valid_from=dt.date(2022, 1, 1), source="Vụ việc #7", source_case_id=7, source_unit_path=tree.commune.path,
    )  # fmt: skip
    job = run(tree.commune, workbook(tmp_path / "b.xlsx", header, [
        ["Sùng Thị Sua", "02/05/2013", "Nữ", "d", None, None],  # today: after the ended period, a new one
        ["Lò Văn Minh", "20/01/2016", "Nam", "b; c", "01/01/2021", "30/06/2022"],
    ]), officer)  # fmt: skip
    assert periods("Sùng Thị Sua") == [("d", dt.date(2018, 1, 1), dt.date(2019, 12, 31)), ("d", today_vn(), None)]
    case_row.refresh_from_db()
    assert (case_row.valid_from, case_row.valid_to, case_row.confidential) == (dt.date(2022, 1, 1), None, True)
    c = Circumstance.objects.get(child=minh, type__code="c")
    assert (c.valid_from, c.valid_to) == (dt.date(2021, 1, 1), None)  # extended to the earlier start, still open
    assert Circumstance.objects.filter(child=minh).count() == 2
    assert job.result["circumstances_created"] == 1
    assert job.result["circumstances_extended"] == 1
    assert job.result["circumstances_kept"] == 1


def test_the_preview_says_when_periods_start_on_the_day_of_the_import(client, officer, tree, tmp_path: Path) -> None:  # noqa: ANN001
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    job = check(tree.commune, workbook(tmp_path / "hcdb.xlsx", WORDS_HEADER, WORDS_ROWS), officer)
    page = client.get(reverse("imports:detail", args=[job.pk])).text
    assert 'data-testid="groups-start-notice"' in page
    assert "1 dòng ghi trẻ thuộc nhóm hoàn cảnh đặc biệt mà không có ngày bắt đầu" in page
    assert "ngày lưu tệp" in page

    dated = [r for r in WORDS_ROWS if r[6] is not None]
    job = check(tree.commune, workbook(tmp_path / "dated.xlsx", WORDS_HEADER, dated), officer)
    assert "groups-start-notice" not in client.get(reverse("imports:detail", args=[job.pk])).text
    import_commit(job, actor=officer)
    assert job.status == JobStatus.COMMITTED
    assert "groups-start-notice" not in client.get(reverse("imports:detail", args=[job.pk])).text
    assert (
        "Hoàn cảnh đặc biệt được ghi nhận: <strong>5</strong>"
        in client.get(reverse("imports:detail", args=[job.pk])).text
    )


def test_the_command_line_says_so_too(tree, tmp_path: Path) -> None:  # noqa: ANN001
    import io

    from django.core.management import call_command

    out = io.StringIO()
    path = workbook(tmp_path / "hcdb.xlsx", WORDS_HEADER, WORDS_ROWS)
    call_command("import", str(path), unit=tree.commune.code, stdout=out)
    text = out.getvalue()
    assert "1 rows give special-circumstance groups without a start date" in text
    assert format_vn(today_vn()) in text
    assert "special circumstances: 6 recorded, 0 extended, 0 already recorded" in text
