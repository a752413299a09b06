"""`treem import --dry-run` checks the file and leaves nothing behind: no job, no issues, no copy of the file."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from treem.imports.models import ImportIssue, ImportJob
from treem.imports.tests.test_pipeline import FAMILY, row, write_xlsx

pytestmark = pytest.mark.django_db


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "imports"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_dry_run_leaves_no_job_no_issues_no_file(tree, tmp_path: Path) -> None:  # noqa: ANN001
    before = set(stored_files())
    path = write_xlsx(tmp_path / "danh-sach.xlsx", [*FAMILY, row(4, "", "31/02/2015")])
    out = io.StringIO()
    preview, errors = tmp_path / "preview.csv", tmp_path / "errors.xlsx"
    call_command("import", str(path), unit=tree.commune.code, dry_run=True, preview=preview, errors=errors, stdout=out)
    assert "error 1" in out.getvalue()
    assert "dry run: nothing stored" in out.getvalue()
    assert preview.stat().st_size > 0 and errors.stat().st_size > 0
    assert not ImportJob.objects.exists()
    assert not ImportIssue.objects.exists()
    assert set(stored_files()) == before


def test_a_refused_file_leaves_nothing_either(tree, tmp_path: Path, settings) -> None:  # noqa: ANN001
    settings.TREEM_IMPORT_MAX_ROWS = 2
    before = set(stored_files())
    path = write_xlsx(tmp_path / "danh-sach.xlsx", FAMILY)
    for dry_run in (True, False):
        with pytest.raises(CommandError):
            call_command("import", str(path), unit=tree.commune.code, dry_run=dry_run, stdout=io.StringIO())
    assert not ImportJob.objects.exists()
    assert set(stored_files()) == before
