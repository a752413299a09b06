"""A job whose worker stopped (its lease ran out) is recovered: the user can save (or check) it again, once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from treem.imports import staging
from treem.imports.lease import LeaseLost, lease_until
from treem.imports.models import ImportJob, JobStatus
from treem.imports.services import import_commit, import_validate, job_create
from treem.imports.tasks import commit_enqueue, recover_stale
from treem.imports.tests.test_pipeline import FAMILY, write_xlsx
from treem.registry.models import Child

pytestmark = pytest.mark.django_db


@pytest.fixture
def checked(tree, officer, tmp_path: Path) -> ImportJob:  # noqa: ANN001
    path = write_xlsx(tmp_path / "ds.xlsx", FAMILY)
    return import_validate(job_create(actor=officer, unit=tree.commune, path=path, original_name=path.name))


def task_row(status: str) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=status, args_kwargs={"args": [], "kwargs": {}}, task_path="treem.imports.tasks.commit_job",
        backend_name="default", run_after=timezone.now(), started_at=timezone.now(),
    )  # fmt: skip


def stuck(job: ImportJob, status: JobStatus, *, seconds_ago: int, task: DBTaskResult | None = None) -> None:
    """The job as a killed worker leaves it: running, its lease (taken `seconds_ago`) running out."""
    until = lease_until() - dt.timedelta(seconds=seconds_ago)
    ImportJob.objects.filter(pk=job.pk).update(
        status=status, lease_token="dead", lease_until=until, task_id=str(task.id) if task else ""
    )


def test_a_commit_whose_worker_died_can_be_saved_again_once(client, officer, checked, settings) -> None:  # noqa: ANN001
    settings.TREEM_IMPORT_LEASE_SECONDS = 30
    task = task_row("RUNNING")
    stuck(checked, JobStatus.COMMITTING, seconds_ago=10, task=task)
    client.force_login(officer)
    page = client.get(reverse("imports:detail", args=[checked.pk]))
    assert 'hx-trigger="every 1s"' in page.text  # the lease still runs: the worker may be alive
    assert ImportJob.objects.get(pk=checked.pk).status == JobStatus.COMMITTING

    stuck(checked, JobStatus.COMMITTING, seconds_ago=31, task=task)
    page = client.get(reverse("imports:detail", args=[checked.pk]))
    job = ImportJob.objects.get(pk=checked.pk)
    assert job.status == JobStatus.VALIDATED and job.lease_token == "" and job.task_id == ""
    assert page.context["can_commit"]
    assert "Không có gì được lưu" in page.text and 'data-testid="job-notice"' in page.text
    task.refresh_from_db()
    assert task.status == "FAILED" and task.finished_at is not None  # no RUNNING row of a dead worker is left

    response = client.post(reverse("imports:commit", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.COMMITTED and job.error_message == ""
    assert Child.objects.count() == 3


def test_the_status_poll_recovers_it_too(client, officer, checked) -> None:  # noqa: ANN001
    stuck(checked, JobStatus.COMMITTING, seconds_ago=10_000)
    client.force_login(officer)
    response = client.get(reverse("imports:status", args=[checked.pk]), headers={"HX-Request": "true"})
    assert response["HX-Refresh"] == "true"
    assert ImportJob.objects.get(pk=checked.pk).status == JobStatus.VALIDATED


def test_a_check_whose_worker_died_is_failed_and_can_be_checked_again(client, officer, checked) -> None:  # noqa: ANN001
    stuck(checked, JobStatus.VALIDATING, seconds_ago=10_000)
    client.force_login(officer)
    page = client.get(reverse("imports:list"))
    job = ImportJob.objects.get(pk=checked.pk)
    assert job.status == JobStatus.FAILED and "Hãy kiểm tra lại" in job.error_message
    assert job.get_status_display() in page.text
    assert client.get(reverse("imports:mapping", args=[job.pk])).status_code == 200


def test_a_job_stuck_from_before_leases_is_recovered(checked) -> None:  # noqa: ANN001
    ImportJob.objects.filter(pk=checked.pk).update(status=JobStatus.COMMITTING, lease_until=None)
    assert recover_stale() == 1
    assert ImportJob.objects.get(pk=checked.pk).status == JobStatus.VALIDATED


def test_a_task_still_queued_is_not_stale(checked) -> None:  # noqa: ANN001
    task = task_row("READY")
    stuck(checked, JobStatus.COMMITTING, seconds_ago=10_000, task=task)
    assert recover_stale() == 0  # no worker has taken it yet: its lease has not started
    task.status = "RUNNING"
    task.save()
    assert recover_stale() == 1


def test_a_commit_that_lost_its_lease_stores_nothing(checked, monkeypatch) -> None:  # noqa: ANN001
    staged_rows = staging.staged_rows  # the commit stores the dry run's staged rows

    def recovered_meanwhile(job: ImportJob, **kwargs: Any):  # noqa: ANN202
        for n, item in enumerate(staged_rows(job, **kwargs)):
            if n == 1:  # the job is recovered as stale and claimed again by another run
                ImportJob.objects.filter(pk=job.pk).update(lease_token="another")
            yield item

    monkeypatch.setattr(staging, "staged_rows", recovered_meanwhile)
    with pytest.raises(LeaseLost):
        import_commit(checked)
    assert Child.objects.count() == 0
    assert ImportJob.objects.get(pk=checked.pk).status == JobStatus.COMMITTING  # the other run's state is kept


def test_a_recovered_job_is_saved_once_and_is_not_stale_after(officer, checked) -> None:  # noqa: ANN001
    stuck(checked, JobStatus.COMMITTING, seconds_ago=10_000)
    recover_stale()
    job = commit_enqueue(ImportJob.objects.get(pk=checked.pk), actor=officer)
    assert job.status == JobStatus.COMMITTED and Child.objects.count() == 3
    assert recover_stale() == 0


def test_a_job_whose_worker_died_is_recovered_when_the_worker_is_known_dead(checked) -> None:  # noqa: ANN001
    """treem serve saw its task worker end (treem.core.tasks): no need to wait for the lease to run out."""
    from treem.core.tasks import recover_tasks

    task = DBTaskResult.objects.create(
        status="RUNNING", args_kwargs={"args": [checked.pk, None, "dead"], "kwargs": {}}, worker_ids=["w-gone"],
        task_path="treem.imports.tasks.commit_job", backend_name="default", run_after=timezone.now(),
        started_at=timezone.now(),
    )  # fmt: skip
    ImportJob.objects.filter(pk=checked.pk).update(
        status=JobStatus.COMMITTING, lease_token="dead", lease_until=lease_until(), task_id=str(task.id)
    )
    assert recover_tasks(worker_ids=["w-gone"]) == 1
    job = ImportJob.objects.get(pk=checked.pk)
    assert job.status == JobStatus.VALIDATED and job.lease_token == "" and "Không có gì được lưu" in job.error_message
    assert DBTaskResult.objects.get(pk=task.pk).status == "FAILED"
