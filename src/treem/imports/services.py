"""Import jobs: create from a file, map columns, check (dry run), commit atomically."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from treem.accounts import capabilities as cap
from treem.accounts.models import User
from treem.accounts.scope import unit_in_scope
from treem.core.bulk import insert_rows, sqlite_cache
from treem.units.models import Level, Unit

from . import staging
from .cleaning import RowResult
from .commit import SQLITE_CACHE_KIB
from .groups import vocabulary
from .lease import Lease, LeaseLost
from .mapping import FIELDS, REQUIRED_FIELDS, guess_mapping, header_key, header_score
from .models import RUNNING, SKIPPED, STORED, UPDATES, ColumnMapping, ImportIssue, ImportJob, JobStatus, RowStatus
from .pipeline import Source, clean_rows, commune_context, job_source
from .readers import ReadError, cell_text, find_header, load_sheet, open_table, used_columns
from .signals import import_committed

ISSUE_BATCH = 2000
# In ImportJob.counts besides the row statuses: the rows whose groups have no start date (they start on the day the
# file is saved; the preview says so).
GROUPS_START_ON_IMPORT = "groups_start_on_import"
RELEASED: dict[str, Any] = {"lease_token": "", "lease_until": None}
PROGRESS_EVERY = 5000
PREVIEW_VALUES = frozenset(("full_name", "date_of_birth", "dob_precision", "sex", "personal_id", "village"))


def check_can_import(user: User | None, unit: Unit) -> None:
    if user is not None and not (user.has_capability(cap.IMPORTS_RUN) and unit_in_scope(user, unit)):
        raise PermissionDenied(_("You may not import data for this unit."))
    if unit.level != Level.COMMUNE:
        raise ValidationError(_("Imports go into one commune or ward: choose a commune."))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def job_create(*, actor: User | None, unit: Unit, path: Path, original_name: str) -> ImportJob:
    """Store the file, find its header row and guess the column mapping (remembered choices of the unit first).

    Raises ReadError (with a Vietnamese message) when the file is not a readable table; nothing is stored then."""
    check_can_import(actor, unit)
    table = open_table(path)
    header = find_header(table, header_score)
    columns = used_columns(table, header)
    labels = (header.labels + [""] * (columns[-1] + 1))[: columns[-1] + 1] if columns else []
    remembered = dict(ColumnMapping.objects.filter(unit=unit).values_list("header_key", "field"))
    mapping = guess_mapping(labels, remembered, vocabulary())
    job = ImportJob(
        unit=unit, unit_path=unit.path, created_by=actor if getattr(actor, "is_authenticated", False) else None,
        original_name=original_name[:255], file_sha256=_sha256(path), sheet_name=table.sheet,
        header_row=header.row_number, headers=labels, columns=columns,
        mapping={str(k): v for k, v in mapping.items()},
    )  # fmt: skip
    with path.open("rb") as fh:
        job.file.save(Path(original_name).name or "import", File(fh), save=False)
    job.save()
    return job


def job_discard(job: ImportJob) -> None:
    """Delete a job with its issues and its copy of the file (a dry run from the command line keeps nothing)."""
    if job.file:
        job.file.delete(save=False)
    job.delete()


def job_set_mapping(*, actor: User, job: ImportJob, mapping: dict[int, str], remember: bool = True) -> ImportJob:
    check_can_import(actor, job.unit)
    unknown = set(mapping.values()) - set(FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    counts = Counter(mapping.values())
    twice = [f for f, n in counts.items() if n > 1]
    if twice:
        raise ValidationError(_("A field is mapped to two columns: %(fields)s") % {"fields": ", ".join(twice)})
    missing = [f for f in REQUIRED_FIELDS if f not in counts]
    if missing:
        raise ValidationError(_("Required columns are not mapped: %(fields)s") % {"fields": ", ".join(missing)})
    job.mapping = {str(k): v for k, v in sorted(mapping.items())}
    job.status = JobStatus.UPLOADED
    job.save(update_fields=["mapping", "status"])
    if remember:
        for index, field in mapping.items():
            if index < len(job.headers) and (key := header_key(cell_text(job.headers[index]))):
                ColumnMapping.objects.update_or_create(unit=job.unit, header_key=key, defaults={"field": field})
    return job


def _check_mapping(job: ImportJob) -> None:
    fields = set(job.mapping.values())
    missing = [f for f in REQUIRED_FIELDS if f not in fields]
    if missing:
        raise ValidationError(_("Required columns are not mapped: %(fields)s") % {"fields": ", ".join(missing)})


def _estimate_rows(source: Source) -> int:
    """The rows below the header, for the progress bar: a CSV's lines, a workbook's loaded sheet (loaded once: the
    check reads its rows from the same load)."""
    table = source.table
    if table.kind == "csv":
        with open(table.path, "rb") as fh:
            return max(0, sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b"")) - source.header_row)
    if "sheet" not in table.loaded:
        table.loaded["sheet"] = load_sheet(table.path, table.sheet)
    return max(0, table.loaded["sheet"].total_height - source.header_row)


def import_validate(job: ImportJob) -> ImportJob:
    """The dry run: clean every row, store the non-OK rows as issues, count statuses. Writes no registry data.

    Holds the job's lease while it runs (see `lease`); raises LeaseLost when the job was recovered meanwhile."""
    _check_mapping(job)
    lease = Lease.take(job, status=JobStatus.VALIDATING, processed_rows=0, error_message="")
    mine = ImportJob.objects.filter(pk=job.pk, lease_token=lease.token)
    try:
        source = job_source(job)
        ctx = commune_context(job.unit)
        staged_context, staged_registry = staging.context_key(job, ctx), staging.registry_key()
        job.total_rows = _estimate_rows(source)
        mine.update(total_rows=job.total_rows, staged_context="", staged_registry="")
        job.issues.all().delete()
        counts: Counter[str] = Counter()
        updates = 0
        pending: list[tuple[Any, ...]] = []
        with sqlite_cache(SQLITE_CACHE_KIB):
            for n, (result, _values) in enumerate(lease.rows(clean_rows(job, source, ctx)), start=1):
                counts[result.status] += 1
                if starts_on_import(result):
                    counts[GROUPS_START_ON_IMPORT] += 1
                updates += result.status in STORED and bool(result.values.get("existing_child_id"))
                pending.append(_issue_row(job, result))
                if len(pending) >= ISSUE_BATCH:
                    _insert_issues(pending)
                    pending = []
                if n % PROGRESS_EVERY == 0:
                    mine.update(processed_rows=n)
            _insert_issues(pending)
    except ReadError as exc:
        job.status, job.error_message = JobStatus.FAILED, exc.message
        mine.update(status=JobStatus.FAILED, error_message=exc.message, file_refused=True, **RELEASED)
        raise
    job.total_rows = job.processed_rows = sum(n for status, n in counts.items() if status in RowStatus.values)
    job.counts = dict(counts) | ({UPDATES: updates} if updates else {})
    job.status, job.validated_at = JobStatus.VALIDATED, timezone.now()
    job.staged_context, job.staged_registry = staged_context, staged_registry
    done = mine.update(
        counts=job.counts, total_rows=job.total_rows, processed_rows=job.processed_rows, status=job.status,
        validated_at=job.validated_at, staged_context=staged_context, staged_registry=staged_registry, **RELEASED,
    )  # fmt: skip
    if not done:
        raise LeaseLost
    job.lease_token, job.lease_until = "", None
    return job


def starts_on_import(result: RowResult) -> bool:
    """A row to be saved that puts the child in a group without saying since when."""
    v = result.values
    return result.status in ("ok", "warning") and bool(v.get("special_groups")) and not v.get("group_from")


_ISSUE_COLUMNS = ("job_id", "source_row", "status", "messages", "values", "changes", "existing_child_id", "staged")


def _issue_row(job: ImportJob, result: RowResult) -> tuple[Any, ...]:
    json = connection.ops.adapt_json_value
    staged = staging.stage(result)
    return (
        job.pk, result.source_row, result.status, json(result.messages_json(), None),
        json(_jsonable(result.values), None), json(result.changes_json(), None), result.values.get("existing_child_id"),
        None if staged is None else json(staged, None),
    )  # fmt: skip


def _insert_issues(rows: list[tuple[Any, ...]]) -> None:
    """Every row of the file is kept for the preview: inserted as plain rows, without a model instance each (the
    ORM's bulk_create made the check of a file several times slower). One transaction per batch: outside one (the
    dry run holds none), SQLite would commit every row on its own, ~100 µs each."""
    with transaction.atomic():
        insert_rows(ImportIssue, _ISSUE_COLUMNS, rows)


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    """The cleaned values the preview shows (every row is kept: not all of its values)."""
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in values.items() if k in PREVIEW_VALUES}


def import_commit(job: ImportJob, *, actor: User | None = None) -> ImportJob:
    """Store every OK and warning row in one transaction: all of the file or nothing of it.

    Holds the job's lease while it runs and stores only if it still holds it at the end (a job recovered as stale
    meanwhile may be committed again by someone else: never both)."""
    from .commit import commit_rows

    if actor is not None:
        check_can_import(actor, job.unit)
    if job.status == JobStatus.COMMITTED:
        raise ValidationError(_("This import was already saved."))
    _check_mapping(job)
    lease = Lease.take(job, status=JobStatus.COMMITTING, error_message="", processed_rows=0)
    try:
        with transaction.atomic():
            rows, skipped = _commit_source(job, lease)
            child_ids: list[int] = []  # the children stored: what the matching after the import compares
            result = commit_rows(
                job, rows, skipped, actor=actor or job.created_by, progress=lease.progress, child_ids=child_ids
            )
            committed_at = timezone.now()
            done = ImportJob.objects.filter(pk=job.pk, status=JobStatus.COMMITTING, lease_token=lease.token).update(
                result=result,
                status=JobStatus.COMMITTED,
                committed_at=committed_at,
                processed_rows=job.total_rows,
                **RELEASED,
            )
            if not done:
                raise LeaseLost
            job.result, job.status, job.committed_at = result, JobStatus.COMMITTED, committed_at
            job.processed_rows = job.total_rows
            job.lease_token, job.lease_until = "", None
            transaction.on_commit(lambda: import_committed.send(sender=ImportJob, job=job, child_ids=child_ids))
    except LeaseLost:
        raise
    except Exception as exc:
        message = exc.message if isinstance(exc, ReadError) else _("Saving failed; nothing was stored.")
        ImportJob.objects.filter(pk=job.pk, lease_token=lease.token).update(
            status=JobStatus.FAILED, error_message=message, processed_rows=job.total_rows, **RELEASED
        )
        raise
    finally:
        lease.close()
    return job


def _commit_source(job: ImportJob, lease: Lease) -> tuple[Iterator[tuple[RowResult, list[Any]]], dict[str, int]]:
    """The rows to store and the rows already counted as skipped: the dry run's staged rows when they can be trusted
    (see `staging`), else the file cleaned again."""
    skipped: dict[str, int] = dict.fromkeys(SKIPPED, 0)
    how = staging.plan(job, file_sha256=staging.file_sha256_of(job))
    if how is None:
        return lease.rows(clean_rows(job)), skipped
    skipped.update({status: int(job.counts.get(status, 0)) for status in SKIPPED})
    return lease.rows(staging.staged_rows(job, recheck=how == staging.RECHECK, skipped=skipped)), skipped


@dataclass(frozen=True)
class PurgeResult:
    files_deleted: int
    stray_files_deleted: int


def retention_days() -> int:
    return int(getattr(settings, "TREEM_IMPORT_RETENTION_DAYS", 30))


def imports_purge(*, now: dt.datetime | None = None) -> PurgeResult:
    """Delete the uploaded files no job needs any more: a refused file at once; any other file once its job has
    not been used (uploaded, checked, saved) for TREEM_IMPORT_RETENTION_DAYS; never while the job runs. The job
    and its issues stay, marked with the date its file was deleted. Files in the imports folder that no job names
    (an upload or a command line run that was stopped) go after the same period."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=retention_days())
    jobs = (
        ImportJob.objects.exclude(file="")
        .exclude(status__in=RUNNING)
        .alias(last_used=Coalesce("committed_at", "validated_at", "created_at"))
        .filter(Q(file_refused=True) | Q(last_used__lt=cutoff))
    )
    deleted = 0
    for job in jobs.only("pk", "file"):
        name = job.file.name
        job.file.delete(save=False)
        if ImportJob.objects.filter(pk=job.pk, file=name).update(file="", file_deleted_at=now, staged_context=""):
            deleted += 1
            job.issues.filter(staged__isnull=False).update(staged=None)  # the cleaned rows go with the file
    return PurgeResult(deleted, _purge_stray_files(cutoff))


def _purge_stray_files(cutoff: dt.datetime) -> int:
    upload_to = ImportJob._meta.get_field("file").upload_to
    assert isinstance(upload_to, str)  # noqa: S101 - ImportJob.file's folder pattern
    folder = Path(settings.MEDIA_ROOT) / upload_to.split("/", 1)[0]
    if not folder.is_dir():
        return 0
    names = ImportJob.objects.exclude(file="").values_list("file", flat=True)
    named = {Path(settings.MEDIA_ROOT, name).resolve() for name in names}
    deleted = 0
    for path in folder.rglob("*"):
        if path.is_file() and path.resolve() not in named and path.stat().st_mtime < cutoff.timestamp():
            path.unlink(missing_ok=True)
            deleted += 1
    return deleted


def copy_to_temp(source: IO[bytes], target: Path) -> Path:
    with target.open("wb") as out:
        shutil.copyfileobj(source, out, 1 << 20)
    return target
