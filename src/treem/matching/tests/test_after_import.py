"""A stored import queues a matching run over its commune."""

from __future__ import annotations

import pytest
import xlsxwriter

from treem.imports.services import import_commit, import_validate, job_create
from treem.matching.models import MatchRun

pytestmark = pytest.mark.django_db


def test_committing_an_import_starts_a_matching_run(tree, tmp_path, django_capture_on_commit_callbacks) -> None:  # noqa: ANN001
    path = tmp_path / "ds.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    for col, label in enumerate(["Họ và tên", "Ngày sinh", "Giới tính"]):
        sheet.write_string(0, col, label)
    for col, value in enumerate(["Sùng Thị Sua", "02/05/2013", "Nữ"]):
        sheet.write_string(1, col, value)
    book.close()
    job = import_validate(job_create(actor=None, unit=tree.commune, path=path, original_name="ds.xlsx"))
    with django_capture_on_commit_callbacks(execute=True):
        import_commit(job)
    assert MatchRun.objects.filter(unit=tree.commune).count() == 1
