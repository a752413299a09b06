"""Import pages: the persona trio on every endpoint, the upload, the mapping, the dry run task, the error workbook
and the commit (tasks run at once: the test settings use the ImmediateBackend)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from python_calamine import CalamineWorkbook

from treem.accounts import roles
from treem.imports.lease import lease_until
from treem.imports.models import ColumnMapping, ImportJob, JobStatus
from treem.imports.outputs import STATUS_HEADER
from treem.imports.tasks import validate_enqueue
from treem.registry.models import Child

pytestmark = pytest.mark.django_db

HEADERS = ["STT", "Tên bé", "Ngày sinh", "Giới tính", "Dân tộc", "Số định danh", "Thôn/bản"]
ROWS: list[list[Any]] = [
    [1, "Sùng A Dế", "05/03/2016", "Nam", "Mông", "012216000111", "Hon"],
    [2, "Lò Thị Mai", "31/02/2016", "Nữ", "Thái", "", "Lầm"],
    [3, "Vàng Thị Pà", "12/07/2015", "Nữ", "Mông", "", "Hon"],
]
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def xlsx_bytes(headers: list[str] = HEADERS, rows: list[list[Any]] = ROWS) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("Danh sách")
    sheet.write_row(0, 0, ["DANH SÁCH TRẺ EM XÃ KHUN HÁ"])
    sheet.write_row(1, 0, headers)
    for i, row in enumerate(rows, start=2):
        sheet.write_row(i, 0, row)
    book.close()
    return out.getvalue()


def login(client, user) -> None:  # noqa: ANN001
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")


def upload(client, content: bytes, name: str = "danh-sach.xlsx", **data: Any):  # noqa: ANN001, ANN201
    return client.post(reverse("imports:list"), {"file": SimpleUploadedFile(name, content), **data})


def column(job: ImportJob, header: str) -> str:
    return f"col_{job.headers.index(header)}"


def mapping_post(job: ImportJob, **overrides: str) -> dict[str, str]:
    data = {f"col_{i}": field for i, field in job.mapping.items()}
    return {**data, **overrides}


@pytest.fixture
def specialist(tree, make_user):  # noqa: ANN001, ANN201
    """The province specialist may import for any commune of the province."""
    return make_user(roles.PROVINCE_SPECIALIST, tree.province)


@pytest.fixture
def collaborator(tree, make_user):  # noqa: ANN001, ANN201
    """In scope but without imports.run."""
    return make_user(roles.VILLAGE_COLLABORATOR, tree.village)


@pytest.fixture
def job(client, officer) -> ImportJob:  # noqa: ANN001
    """An uploaded workbook whose name column ("Tên bé") the automatic mapping does not recognise."""
    login(client, officer)
    response = upload(client, xlsx_bytes())
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:mapping", args=[job.pk])
    return job


@pytest.fixture
def checked(client, job) -> ImportJob:  # noqa: ANN001
    response = client.post(
        reverse("imports:mapping", args=[job.pk]), mapping_post(job, **{column(job, "Tên bé"): "full_name"})
    )
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.VALIDATED
    return job


def job_urls(pk: int) -> list[tuple[str, str]]:
    return [
        ("get", reverse("imports:detail", args=[pk])),
        ("get", reverse("imports:status", args=[pk])),
        ("get", reverse("imports:mapping", args=[pk])),
        ("get", reverse("imports:errors", args=[pk])),
        ("post", reverse("imports:commit", args=[pk])),
    ]


def test_it_requires_imports_run(client, collaborator, job) -> None:  # noqa: ANN001
    login(client, collaborator)
    for method, url in [("get", reverse("imports:list")), ("get", reverse("imports:template")), *job_urls(job.pk)]:
        assert getattr(client, method)(url).status_code == 403, url
    assert reverse("imports:list") not in client.get(reverse("ui:home")).text


def test_it_checks_scope(client, sibling_officer, job) -> None:  # noqa: ANN001
    login(client, sibling_officer)
    for method, url in job_urls(job.pk):
        assert getattr(client, method)(url).status_code == 404, url
    assert job.original_name not in client.get(reverse("imports:list")).text
    job.refresh_from_db()
    assert job.status == JobStatus.UPLOADED


def test_the_province_specialist_chooses_a_commune_in_scope(client, specialist, job, tree) -> None:  # noqa: ANN001
    login(client, specialist)
    response = client.get(reverse("imports:list"))
    choices = list(response.context["form"].fields["commune"].queryset)
    assert choices == sorted([tree.commune, tree.sibling], key=lambda u: u.path)
    assert job.original_name in response.text
    assert client.get(reverse("imports:detail", args=[job.pk])).status_code == 200

    response = upload(client, xlsx_bytes(), commune=str(tree.far_commune.pk))
    assert response.status_code == 200 and response.context["form"].errors["commune"]
    response = upload(client, xlsx_bytes(), commune=str(tree.sibling.pk))
    assert response.status_code == 302
    assert ImportJob.objects.latest("pk").unit == tree.sibling


def test_the_commune_officer_imports_into_their_commune(client, officer, tree) -> None:  # noqa: ANN001
    login(client, officer)
    response = client.get(reverse("imports:list"))
    assert "commune" not in response.context["form"].fields
    assert "Xã Khun Há" in response.text
    assert reverse("imports:list") in client.get(reverse("ui:home")).text  # the nav link


@pytest.mark.parametrize(("content", "name"), [(PNG, "anh.png"), (b"\x00\x01\x02 not a table", "data.xlsx")])
def test_it_rejects_a_file_that_is_not_a_table(client, officer, content: bytes, name: str) -> None:  # noqa: ANN001
    login(client, officer)
    response = upload(client, content, name)
    assert response.status_code == 200
    assert "Tệp không phải bảng tính" in response.text
    assert not ImportJob.objects.exists()


def test_it_rejects_a_file_too_big(client, officer) -> None:  # noqa: ANN001
    login(client, officer)
    with override_settings(TREEM_IMPORT_MAX_BYTES=1024 * 1024):
        response = upload(client, b"x" * (1024 * 1024 + 1), "lon.csv")
    assert "Tệp lớn hơn 1 MB" in response.text
    assert not ImportJob.objects.exists()


def test_the_mapping_page_shows_guesses_and_samples(client, job) -> None:  # noqa: ANN001
    response = client.get(reverse("imports:mapping", args=[job.pk]))
    form = response.context["form"]
    assert form[column(job, "Ngày sinh")].value() == "date_of_birth"
    assert form[column(job, "Tên bé")].value() == ""
    assert form[column(job, "STT")].value() == ""
    text = response.text
    assert "Sùng A Dế" in text and "Lò Thị Mai" in text and "Vàng Thị Pà" in text
    assert "— bỏ qua —" in text and "Họ và tên" in text


def test_the_mapping_needs_a_name_column(client, job) -> None:  # noqa: ANN001
    response = client.post(reverse("imports:mapping", args=[job.pk]), mapping_post(job))
    assert response.status_code == 200
    assert "Họ và tên" in response.context["form"].non_field_errors()[0]
    job.refresh_from_db()
    assert job.status == JobStatus.UPLOADED and not job.issues.exists()


def test_a_field_goes_to_one_column(client, job) -> None:  # noqa: ANN001
    data = mapping_post(job, **{column(job, "Tên bé"): "full_name", column(job, "STT"): "full_name"})
    response = client.post(reverse("imports:mapping", args=[job.pk]), data)
    assert "Họ và tên" in response.context["form"].non_field_errors()[0]


def test_the_mapping_is_kept_and_remembered_for_the_commune(client, checked, tree) -> None:  # noqa: ANN001
    assert checked.mapping[str(checked.headers.index("Tên bé"))] == "full_name"
    assert ColumnMapping.objects.get(unit=tree.commune, header_key="ten be").field == "full_name"

    upload(client, xlsx_bytes(), "lan-2.xlsx")
    second = ImportJob.objects.latest("pk")
    form = client.get(reverse("imports:mapping", args=[second.pk])).context["form"]
    assert form[column(second, "Tên bé")].value() == "full_name"


def test_the_dry_run_counts_and_lists_the_rows_to_fix(client, checked) -> None:  # noqa: ANN001
    assert checked.counts.get("error") == 1 and checked.counts.get("ok", 0) + checked.counts.get("warning", 0) == 2
    assert not Child.objects.exists()
    response = client.get(reverse("imports:detail", args=[checked.pk]))
    assert 'data-testid="job-counts"' in response.text
    assert "Ngày không tồn tại" in response.text and "Lò Thị Mai" in response.text
    assert [row.source_row for row in response.context["issues"] if row.status == "error"] == [4]
    assert response.context["can_commit"]
    assert "hx-trigger" not in response.text  # done: nothing to poll
    only_errors = client.get(reverse("imports:detail", args=[checked.pk]), {"status": "error"}).context["issues"]
    assert [row.status for row in only_errors] == ["error"]


def test_the_status_partial_polls_while_running_and_reloads_when_done(client, checked) -> None:  # noqa: ANN001
    url = reverse("imports:status", args=[checked.pk])
    ImportJob.objects.filter(pk=checked.pk).update(
        status=JobStatus.VALIDATING, processed_rows=1, total_rows=4, lease_token="t", lease_until=lease_until()
    )  # a worker holds the job's lease
    response = client.get(url, headers={"HX-Request": "true"})
    assert "<html" not in response.text and "HX-Refresh" not in response
    assert 'hx-trigger="every 1s"' in response.text and 'value="25"' in response.text
    page = client.get(reverse("imports:detail", args=[checked.pk]))
    assert 'hx-trigger="every 1s"' in page.text  # a reload while running shows the same running job

    ImportJob.objects.filter(pk=checked.pk).update(status=JobStatus.VALIDATED)
    response = client.get(url, headers={"HX-Request": "true"})
    assert response["HX-Refresh"] == "true" and "hx-trigger" not in response.text


def test_a_failed_check_shows_its_message(client, job) -> None:  # noqa: ANN001
    Path(job.file.path).write_bytes(b"")  # the stored file is gone bad
    job.mapping = {**job.mapping, str(job.headers.index("Tên bé")): "full_name"}
    job.save(update_fields=["mapping"])
    job = validate_enqueue(job)
    assert job.status == JobStatus.FAILED and job.error_message == "Tệp rỗng"
    response = client.get(reverse("imports:detail", args=[job.pk]))
    assert "Tệp rỗng" in response.text and not response.context["can_commit"]


def test_the_error_workbook_has_the_rows_with_their_status(client, checked) -> None:  # noqa: ANN001
    response = client.get(reverse("imports:errors", args=[checked.pk]))
    assert response.status_code == 200
    assert "loi-danh-sach.xlsx" in response["Content-Disposition"]
    rows = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content))).get_sheet_by_index(0)
    rows = rows.to_python()
    assert rows[0][: len(HEADERS)] == HEADERS and STATUS_HEADER in rows[0]
    status = rows[0].index(STATUS_HEADER)
    assert [r[1] for r in rows[1:]] == [r[1] for r in ROWS]
    assert rows[2][status] == "Lỗi" and "Ngày không tồn tại" in rows[2][status + 1]


def test_the_error_workbook_waits_for_the_check(client, job) -> None:  # noqa: ANN001
    response = client.get(reverse("imports:errors", args=[job.pk]))
    assert response.status_code == 302


def test_commit_stores_the_valid_rows_once(client, checked, tree) -> None:  # noqa: ANN001
    response = client.post(reverse("imports:commit", args=[checked.pk]))
    assert response.status_code == 302
    checked.refresh_from_db()
    assert checked.status == JobStatus.COMMITTED and checked.result["children_created"] == 2
    assert set(Child.objects.values_list("full_name", flat=True)) == {"Sùng A Dế", "Vàng Thị Pà"}
    assert Child.objects.get(full_name="Sùng A Dế").village == tree.village

    client.post(reverse("imports:commit", args=[checked.pk]))
    assert Child.objects.count() == 2
    page = client.get(reverse("imports:detail", args=[checked.pk]))
    assert 'data-testid="job-result"' in page.text and reverse("registry:child_list") in page.text
    assert not page.context["can_commit"] and "edit-mapping" not in page.text
    assert client.get(reverse("imports:mapping", args=[checked.pk])).status_code == 302


def test_commit_before_the_check_does_nothing(client, job) -> None:  # noqa: ANN001
    client.post(reverse("imports:commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == JobStatus.UPLOADED and not Child.objects.exists()


def test_the_template_workbook(client, officer) -> None:  # noqa: ANN001
    login(client, officer)
    response = client.get(reverse("imports:template"))
    assert "mau-danh-sach-tre-em.xlsx" in response["Content-Disposition"]
    rows = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content))).get_sheet_by_index(0)
    header, example = rows.to_python()[:2]
    assert header[:3] == ["Họ và tên", "Ngày sinh", "Giới tính"] and example[0] == "Sùng Thị Sua"


def test_the_issue_page_follows_the_language_and_the_error_workbook_stays_vietnamese(client, checked) -> None:  # noqa: ANN001
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("imports:detail", args=[checked.pk]))
    assert "The date does not exist: 31/02/2016" in page.text and "Ngày không tồn tại" not in page.text
    error_row = next(row for row in page.context["issues"] if row.status == "error")
    assert error_row.status_label == "Error" and error_row.messages[0][0] == "Date of birth"

    response = client.get(reverse("imports:errors", args=[checked.pk]))
    rows = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content))).get_sheet_by_index(0)
    status, message = next(row[-2:] for row in rows.to_python() if "Lò Thị Mai" in row)
    assert status == "Lỗi" and message.startswith("Ngày sinh: Ngày không tồn tại: 31/02/2016")

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    page = client.get(reverse("imports:detail", args=[checked.pk]))
    assert "Ngày không tồn tại: 31/02/2016" in page.text
    assert next(row for row in page.context["issues"] if row.status == "error").status_label == "Lỗi"
