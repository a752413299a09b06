"""Background work of an import: the dry run and the commit, run by the task worker (`treem db_worker`).

The page claims the job first (a conditional UPDATE of its status), then enqueues a task that takes only the job
id, so a reload, a second click or a second worker sees the same state in the database. The database task backend
writes its queue row in the same database, so an enqueue inside a transaction becomes visible with it. A task that
fails leaves the job FAILED with a message for the page; the page stops polling then.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, connection, transaction
from django.db.models import Q
from django.tasks import TaskResultStatus, task
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .lease import LeaseLost, lease_until, new_token
from .models import RUNNING, ImportJob, JobStatus
from .readers import ReadError
from .services import check_can_import, import_commit, import_validate

logger = logging.getLogger(__name__)

REMAPPABLE = (JobStatus.UPLOADED, JobStatus.VALIDATED, JobStatus.FAILED)
STORABLE = ("ok", "warning")
STOPPED_COMMIT = gettext_noop(
    "Saving stopped before it finished because the background worker stopped. Nothing was stored: you can save again."
)
STOPPED_CHECK = gettext_noop(
    "Checking stopped before it finished because the background worker stopped. Check the rows again."
)


def _message(exc: Exception) -> str:
    if isinstance(exc, ReadError):
        return exc.message
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)
    return str(exc) or _("You may not import data for this unit.")


def _fail(job_id: int, running: JobStatus, message: str, token: str = "") -> None:
    # Only a job still in the state this task put it in (and still its lease): never turn a saved import, or one
    # recovered and claimed again, into a failed one.
    jobs = ImportJob.objects.filter(pk=job_id, status=running)
    if token:
        jobs = jobs.filter(lease_token=token)
    jobs.update(status=JobStatus.FAILED, error_message=message, lease_token="", lease_until=None)


def _mine(job: ImportJob, running: JobStatus, token: str) -> bool:
    """Is the job still in the state its claim put it in, for this task (not one queued before a recovery)?"""
    return job.status == running and (not token or job.lease_token == token)


@task()
def validate_job(job_id: int, token: str = "") -> dict[str, int]:
    """The dry run of one job, claimed by `validate_enqueue`."""
    job = ImportJob.objects.select_related("unit").get(pk=job_id)
    if not _mine(job, JobStatus.VALIDATING, token):
        return {}
    try:
        import_validate(job)
    except LeaseLost:
        logger.warning("import %s: recovered as stale while it was being checked", job_id)
        return {}
    except (ReadError, ValidationError) as exc:
        _fail(job_id, JobStatus.VALIDATING, _message(exc), token)
        return {}
    except Exception:
        _fail(job_id, JobStatus.VALIDATING, _("Checking failed; try again or tell the administrator."), token)
        raise
    return dict(job.counts)


@task()
def commit_job(job_id: int, actor_id: int | None, token: str = "") -> dict[str, int]:
    """Store one checked job, claimed by `commit_enqueue`; the actor's rights are checked again when it runs."""
    job = ImportJob.objects.select_related("unit", "created_by").get(pk=job_id)
    if not _mine(job, JobStatus.COMMITTING, token):
        return {}
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    try:
        import_commit(job, actor=actor)
    except LeaseLost:
        logger.warning("import %s: recovered as stale while it was being saved; nothing of this run was stored", job_id)
        return {}
    except (ReadError, ValidationError, PermissionDenied) as exc:
        _fail(job_id, JobStatus.COMMITTING, _message(exc), token)
        return {}
    except Exception:
        logger.exception("import %s: commit failed", job_id)
        _fail(job_id, JobStatus.COMMITTING, _("Saving failed; nothing was stored."), token)
        raise
    return dict(job.result)


def validate_enqueue(job: ImportJob) -> ImportJob:
    """Mark the job as being checked and queue the dry run. The job's mapping must already be set."""
    if not job.file:
        raise ValidationError(_("The uploaded file was deleted; upload it again."))
    token = new_token()
    claimed = ImportJob.objects.filter(pk=job.pk, status__in=REMAPPABLE).update(
        status=JobStatus.VALIDATING, processed_rows=0, error_message="", lease_token=token, lease_until=lease_until()
    )
    if not claimed:
        raise ValidationError(_("This import is being processed or was already saved."))
    _remember_task(job, token, validate_job.enqueue(job.pk, token))
    job.refresh_from_db()
    return job


def _remember_task(job: ImportJob, token: str, result: Any) -> None:
    """Note the queued task on the job (a task run at once has already released the lease: nothing to note)."""
    ImportJob.objects.filter(pk=job.pk, lease_token=token).update(task_id=str(result.id))


def can_commit(job: ImportJob) -> bool:
    return job.status == JobStatus.VALIDATED and bool(job.file) and any(job.counts.get(s, 0) for s in STORABLE)


def commit_enqueue(job: ImportJob, *, actor: Any) -> ImportJob:
    """Claim a checked job for saving (a second click finds it claimed) and queue the commit."""
    check_can_import(actor, job.unit)
    if not can_commit(job):
        raise ValidationError(_("This import has no rows to save, or it is not checked yet."))
    token = new_token()
    claimed = ImportJob.objects.filter(pk=job.pk, status=JobStatus.VALIDATED).update(
        status=JobStatus.COMMITTING, error_message="", lease_token=token, lease_until=lease_until()
    )
    if not claimed:
        raise ValidationError(_("This import is being processed or was already saved."))
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    _remember_task(job, token, commit_job.enqueue(job.pk, actor_id, token))
    job.refresh_from_db()
    return job


def _task_waiting(task_id: str) -> bool:
    """Is the job's task still queued (no worker has taken it yet)? Then its lease has not started."""
    if not task_id or not apps.is_installed("django_tasks_db"):
        return False
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(id=task_id, status=TaskResultStatus.READY).exists()


def _end_task(task_id: str) -> None:
    """Mark the stale job's task row failed, so no RUNNING row of a dead worker is left behind."""
    if not task_id or not apps.is_installed("django_tasks_db"):
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(id=task_id, status__in=(TaskResultStatus.RUNNING, TaskResultStatus.READY)).update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path=f"{LeaseLost.__module__}.{LeaseLost.__qualname__}",
        traceback="The worker stopped while it held the import's lease; the job was recovered as stale.",
    )


@contextmanager
def _short_lock_wait() -> Iterator[None]:
    """On SQLite, wait briefly for the write lock: a commit still writing holds it, and that job is not stale."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        previous = cursor.fetchone()[0]
        cursor.execute("PRAGMA busy_timeout = 500")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(previous)}")


def recover_stale(*, pks: Iterable[int] | None = None) -> int:
    """Return the jobs whose worker stopped (their lease ran out) to a state the user can act on again.

    A commit that stopped stored nothing (one transaction): the job is checked again and can be saved again. A check
    that stopped is failed with a message asking to check again. Returns how many jobs were recovered."""
    now = timezone.now()
    stale = ImportJob.objects.filter(status__in=RUNNING).filter(Q(lease_until__lt=now) | Q(lease_until__isnull=True))
    if pks is not None:
        stale = stale.filter(pk__in=list(pks))
    recovered = 0
    for job in stale.only("pk", "status", "lease_token", "task_id"):
        if _task_waiting(job.task_id):
            continue
        if job.status == JobStatus.COMMITTING:
            changes = {"status": JobStatus.VALIDATED, "error_message": _(STOPPED_COMMIT)}
        else:
            changes = {"status": JobStatus.FAILED, "error_message": _(STOPPED_CHECK)}
        try:
            with _short_lock_wait(), transaction.atomic():
                done = ImportJob.objects.filter(pk=job.pk, status=job.status, lease_token=job.lease_token).update(
                    lease_token="", lease_until=None, task_id="", **changes
                )
                if done:
                    _end_task(job.task_id)
        except OperationalError:  # the database is locked: a commit is writing, so the job is not stale
            logger.info("import %s: lease ran out but the database is busy; not recovered now", job.pk)
            continue
        if done:
            logger.warning("import %s: its worker stopped; recovered from %s", job.pk, job.status)
            recovered += done
    return recovered


def worker_stopped(args: list[Any], kwargs: dict[str, Any]) -> None:
    """The task of a job (validate_job: job_id, token; commit_job: job_id, actor_id, token) lost its worker: the
    job's lease ends now and the job is recovered as a stale one (a stopped commit stored nothing)."""
    job_id = args[0] if args else kwargs.get("job_id", 0)
    token = args[-1] if len(args) > 1 else kwargs.get("token", "")
    jobs = ImportJob.objects.filter(pk=job_id, status__in=RUNNING)
    if token:
        jobs = jobs.filter(lease_token=token)
    if jobs.update(lease_until=timezone.now() - dt.timedelta(seconds=1)):
        recover_stale(pks=[job_id])
