"""The dry run's cleaned rows, kept for the commit ("stage first, merge later"): the commit stores them instead of
reading and cleaning the file again.

Each row the commit would store, judged before the registry was consulted (cleaning and the in-file duplicate check
passed), keeps its cleaned values in `ImportIssue.staged`. The job keeps two keys of what they were checked against:

- `context_key`: the file (its SHA-256), the mapping and header, the commune's names and villages, the group and
  injury vocabularies, the day. Any change there may change how a row cleans: the commit cleans the file again.
- `registry_key`: the children and injuries the rows were matched against (the newest history row of each, so an
  added, changed, moved or deleted child changes it). When only this changed (a child was registered between the
  dry run and the commit), the staged rows are matched against the registry again, as the commit always did, but
  without cleaning them again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from typing import Any, cast

from django.db.models import Max

from treem.registry.models import Child, Incident

from .cleaning import RowContext, RowResult
from .incidents import check_injuries
from .models import STORED, ImportIssue, ImportJob
from .pipeline import BATCH, RegistryIndex, commune_context, job_source

TRUSTED, RECHECK = "trusted", "recheck"


def _digest(parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def context_key(job: ImportJob, ctx: RowContext) -> str:
    """What cleaning a row of this job depends on besides the row."""
    return _digest([
        job.file_sha256, sorted(job.mapping.items()), job.header_row, job.sheet_name, job.columns,
        ctx.commune_name, sorted(ctx.commune_keys), sorted(ctx.villages.items()), ctx.today.isoformat(),
        sorted((" ".join(k), v) for k, v in ctx.groups.phrases.items()), sorted(ctx.groups.letters),
        sorted(ctx.groups.names.items()), sorted(ctx.groups.confidential), sorted(ctx.kinds.words.items()),
    ])  # fmt: skip


def registry_key() -> str:
    """The state of the registry a row is matched against: the newest child and injury and their history rows."""
    last = [
        Child.objects.aggregate(n=Max("pk"))["n"],
        Child.history.aggregate(n=Max("history_id"))["n"],
        Incident.objects.aggregate(n=Max("pk"))["n"],
        Incident.history.aggregate(n=Max("history_id"))["n"],
    ]
    return _digest(last)


def stage(result: RowResult) -> dict[str, Any] | None:
    """The JSON kept for a row the commit may store (None for the others)."""
    if result.cleaned_status not in STORED:
        return None
    values: dict[str, Any] = {}
    dates: list[str] = []
    for key, value in result.values.items():
        if key in ("existing_child_id", "_row"):
            continue
        if isinstance(value, dt.date):
            value = value.isoformat()
            dates.append(key)
        values[key] = value
    return {"v": values, "d": dates, "s": result.cleaned_status, "x": result.values.get("existing_child_id")}


def _unstage(staged: dict[str, Any]) -> dict[str, Any]:
    values = staged["v"]
    for key in staged["d"]:
        values[key] = dt.date.fromisoformat(values[key])
    return values


def plan(job: ImportJob, *, file_sha256: str) -> str | None:
    """TRUSTED (store the staged rows as they are), RECHECK (match them against the registry again) or None (clean
    the file again: nothing staged, or the file, the mapping, the villages, the vocabularies or the day changed)."""
    if not job.staged_context or job.file_sha256 != file_sha256:
        return None
    if context_key(job, commune_context(job.unit)) != job.staged_context:
        return None
    return TRUSTED if registry_key() == job.staged_registry else RECHECK


def staged_rows(job: ImportJob, *, recheck: bool, skipped: dict[str, int]) -> Iterator[tuple[RowResult, list[Any]]]:
    """The staged rows in file order, as `pipeline.clean_rows` would give them (without the original cells).

    TRUSTED: the rows the dry run found storable. RECHECK: every staged row with the status cleaning gave it, matched
    against the registry again (a row may now update a child registered since, or be a duplicate of it); the rows the
    dry run skipped for the registry's sake are taken out of `skipped` and counted anew by the commit."""
    issues = ImportIssue.objects.filter(job=job).order_by("source_row")
    if recheck:
        issues = issues.filter(staged__isnull=False)
        index = RegistryIndex(job.unit)
    else:
        issues = issues.filter(status__in=STORED)
    batch: list[RowResult] = []
    for source_row, status, staged in issues.values_list("source_row", "status", "staged").iterator(BATCH):
        staged = cast("dict[str, Any]", staged)  # a stored or rechecked row was staged by the dry run
        values = _unstage(staged)
        if recheck:
            if status in skipped:
                skipped[status] -= 1
            result = RowResult(source_row, staged["s"], values, cleaned_status=staged["s"])
        else:
            if staged["x"] is not None:
                values["existing_child_id"] = staged["x"]
            result = RowResult(source_row, status, values, cleaned_status=staged["s"])
        batch.append(result)
        if len(batch) >= BATCH:
            yield from _checked(batch, index if recheck else None)
            batch = []
    if batch:
        yield from _checked(batch, index if recheck else None)


def _checked(batch: list[RowResult], index: RegistryIndex | None) -> Iterator[tuple[RowResult, list[Any]]]:
    if index is not None:
        index.annotate(batch)
        check_injuries(batch)
    for result in batch:
        yield result, []


def file_sha256_of(job: ImportJob) -> str:
    """The SHA-256 of the job's stored file as it is now."""
    digest = hashlib.sha256()
    with open(job.file.path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


__all__ = ["RECHECK", "TRUSTED", "context_key", "job_source", "plan", "registry_key", "stage", "staged_rows"]
