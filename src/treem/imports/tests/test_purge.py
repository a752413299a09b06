"""Uploaded files are kept while their job needs them and TREEM_IMPORT_RETENTION_DAYS after; `treem imports purge`."""

from __future__ import annotations

import datetime as dt
import io
import os
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from treem.imports.models import ImportJob, JobStatus
from treem.imports.services import import_validate, job_create
from treem.imports.tests.test_pipeline import FAMILY, write_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def make_job(tree, officer, tmp_path: Path):  # noqa: ANN001, ANN201
    def make(name: str, days_ago: int, status: JobStatus = JobStatus.VALIDATED, **fields: object) -> ImportJob:
        path = write_xlsx(tmp_path / name, FAMILY)
        job = import_validate(job_create(actor=officer, unit=tree.commune, path=path, original_name=name))
        when = timezone.now() - dt.timedelta(days=days_ago)
        ImportJob.objects.filter(pk=job.pk).update(
            status=status, created_at=when, validated_at=when,
            committed_at=when if status == JobStatus.COMMITTED else None, **fields,
        )  # fmt: skip
        job.refresh_from_db()
        return job

    return make


def orphan(name: str, days_ago: int) -> Path:
    path = Path(django_settings.MEDIA_ROOT) / "imports" / "2020" / "01" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x")
    old = time.time() - days_ago * 86400
    os.utime(path, (old, old))
    return path


def test_purge_deletes_expired_and_refused_files_only(make_job, settings) -> None:  # noqa: ANN001
    settings.TREEM_IMPORT_RETENTION_DAYS = 30
    old = make_job("old.xlsx", 31, JobStatus.COMMITTED)
    recent = make_job("recent.xlsx", 29, JobStatus.COMMITTED)
    old_dry_run = make_job("dry.xlsx", 40)
    running = make_job("running.xlsx", 40, JobStatus.COMMITTING, lease_token="t")
    refused = make_job("refused.xlsx", 0, JobStatus.FAILED, file_refused=True)
    stray_old, stray_new = orphan("stray-old.csv", 31), orphan("stray-new.csv", 1)
    paths = {job.pk: Path(job.file.path) for job in (old, recent, old_dry_run, running, refused)}

    out = io.StringIO()
    call_command("imports", "purge", stdout=out)
    assert "3 files of imports" in out.getvalue() and "1 file left" in out.getvalue()
    for job, kept in ((old, False), (recent, True), (old_dry_run, False), (running, True), (refused, False)):
        job.refresh_from_db()
        assert paths[job.pk].exists() == kept, job.original_name
        assert bool(job.file) == kept and (job.file_deleted_at is None) == kept
        assert job.issues.filter(staged__isnull=False).exists() == kept  # the cleaned rows go with the file
    assert not stray_old.exists() and stray_new.exists()

    settings.TREEM_IMPORT_RETENTION_DAYS = 10
    call_command("imports", "purge", stdout=io.StringIO())
    assert not paths[recent.pk].exists()


def test_the_page_says_the_file_was_deleted_and_offers_no_commit(client, officer, make_job) -> None:  # noqa: ANN001
    job = make_job("old.xlsx", 100)
    client.force_login(officer)
    assert 'data-testid="edit-mapping"' in client.get(reverse("imports:detail", args=[job.pk])).text
    call_command("imports", "purge", stdout=io.StringIO())
    page = client.get(reverse("imports:detail", args=[job.pk]))
    assert 'data-testid="file-deleted"' in page.text and not page.context["can_commit"]
    assert "error-workbook" not in page.text and "edit-mapping" not in page.text
    assert client.post(reverse("imports:commit", args=[job.pk])).status_code == 302
    assert ImportJob.objects.get(pk=job.pk).status == JobStatus.VALIDATED


def test_purge_documents_itself() -> None:
    from treem.imports.management.commands.imports import Command

    parser = Command().create_parser("treem", "imports")
    purge = next(a for a in parser._subparsers._group_actions if a.dest == "action").choices["purge"]
    assert "TREEM_IMPORT_RETENTION_DAYS" in purge.format_help()
