"""Background work of an import: the dry run and the commit, run by the task worker (`treem db_worker`).

The page claims the job first (a conditional UPDATE of its status), then enqueues a task that takes only the job
id, so a reload, a second click or a second worker sees the same state in the database. The database task backend
writes its queue row in the same database, so an enqueue inside a transaction becomes visible with it. A task that
fails leaves the job FAILED with a message for the page; the page stops polling then.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.tasks import task
from django.utils.translation import gettext as _

from .models import ImportJob, JobStatus
from .readers import ReadError
from .services import check_can_import, import_commit, import_validate

logger = logging.getLogger(__name__)

RUNNING = (JobStatus.VALIDATING, JobStatus.COMMITTING)
REMAPPABLE = (JobStatus.UPLOADED, JobStatus.VALIDATED, JobStatus.FAILED)
STORABLE = ("ok", "warning")


def _message(exc: Exception) -> str:
    if isinstance(exc, ReadError):
        return exc.message
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)
    return str(exc) or _("You may not import data for this unit.")


def _fail(job_id: int, running: JobStatus, message: str) -> None:
    # Only a job still in the state this task put it in: never turn a saved import into a failed one.
    ImportJob.objects.filter(pk=job_id, status=running).update(status=JobStatus.FAILED, error_message=message)


@task()
def validate_job(job_id: int) -> dict[str, int]:
    """The dry run of one job, claimed by `validate_enqueue`."""
    job = ImportJob.objects.select_related("unit").get(pk=job_id)
    if job.status != JobStatus.VALIDATING:
        return {}
    try:
        import_validate(job)
    except (ReadError, ValidationError) as exc:
        _fail(job_id, JobStatus.VALIDATING, _message(exc))
        return {}
    except Exception:
        _fail(job_id, JobStatus.VALIDATING, _("Checking failed; try again or tell the administrator."))
        raise
    return dict(job.counts)


@task()
def commit_job(job_id: int, actor_id: int | None) -> dict[str, int]:
    """Store one checked job, claimed by `commit_enqueue`; the actor's rights are checked again when it runs."""
    job = ImportJob.objects.select_related("unit", "created_by").get(pk=job_id)
    if job.status != JobStatus.COMMITTING:
        return {}
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    try:
        import_commit(job, actor=actor)
    except (ReadError, ValidationError, PermissionDenied) as exc:
        _fail(job_id, JobStatus.COMMITTING, _message(exc))
        return {}
    except Exception:
        logger.exception("import %s: commit failed", job_id)
        _fail(job_id, JobStatus.COMMITTING, _("Saving failed; nothing was stored."))
        raise
    return dict(job.result)


def validate_enqueue(job: ImportJob) -> ImportJob:
    """Mark the job as being checked and queue the dry run. The job's mapping must already be set."""
    claimed = ImportJob.objects.filter(pk=job.pk, status__in=REMAPPABLE).update(
        status=JobStatus.VALIDATING, processed_rows=0, error_message=""
    )
    if not claimed:
        raise ValidationError(_("This import is being processed or was already saved."))
    validate_job.enqueue(job.pk)
    job.refresh_from_db()
    return job


def can_commit(job: ImportJob) -> bool:
    return job.status == JobStatus.VALIDATED and any(job.counts.get(s, 0) for s in STORABLE)


def commit_enqueue(job: ImportJob, *, actor: Any) -> ImportJob:
    """Claim a checked job for saving (a second click finds it claimed) and queue the commit."""
    check_can_import(actor, job.unit)
    if not can_commit(job):
        raise ValidationError(_("This import has no rows to save, or it is not checked yet."))
    claimed = ImportJob.objects.filter(pk=job.pk, status=JobStatus.VALIDATED).update(
        status=JobStatus.COMMITTING, error_message=""
    )
    if not claimed:
        raise ValidationError(_("This import is being processed or was already saved."))
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    commit_job.enqueue(job.pk, actor_id)
    job.refresh_from_db()
    return job
