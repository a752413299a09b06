"""Matching runs over the registry: the children of a unit through the engine, pairs into the review queue.

A run reads the children in the unit's subtree (merged-away records left out), scores them with the engine, and
stores each pair at or above the review threshold as a pending candidate, unless the pair was decided before:
"different children" and merged pairs are never suggested again, unsure ones stay unsure. A pair the engine marks
"merge" (above the automatic threshold, the same valid ID on both) is merged by the system, oldest record kept,
and the children's history says so. Progress is written on the `MatchRun` row for the page to poll.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from treem.accounts import capabilities as cap
from treem.accounts.models import User
from treem.accounts.scope import unit_in_scope
from treem.registry.models import Child, Guardianship
from treem.registry.selectors import live_children
from treem.units.models import Unit

from . import engine, nearby
from .models import CandidateStatus, MatchCandidate, MatchRun, RunSource, RunStatus
from .services import MERGEABLE_FIELDS, merge_children

logger = logging.getLogger(__name__)
# Stored as the run's error (in Vietnamese like the records): its task worker died while it ran.
WORKER_STOPPED = "Tiến trình chạy nền đã dừng giữa chừng khi đang tìm hồ sơ trùng; hãy chạy lại."

READ_BATCH = 5_000
SAVE_BATCH = 1_000
PROGRESS_EVERY = 2_000  # records or pairs between two progress writes


def check_can_run(actor: User | None, unit: Unit | None) -> None:
    if actor is None:
        return  # the command line and the import worker act as the system
    if unit is None or not (actor.has_capability(cap.REGISTRY_EDIT) and unit_in_scope(actor, unit)):
        raise PermissionDenied


def _children(unit_path: str) -> Any:
    qs = live_children()
    return qs.filter(unit_path__path_prefix=unit_path) if unit_path else qs


def registry_records(unit_path: str) -> Iterator[engine.Record]:
    """The children under `unit_path` ("" = everyone) as engine records; guardians joined by ";"."""
    return child_records(_children(unit_path))


def child_records(children: Any) -> Iterator[engine.Record]:
    """The children of a queryset as engine records, in id order; guardians joined by ";"."""
    guardians: dict[int, list[str]] = defaultdict(list)
    links = Guardianship.objects.filter(child__in=children).order_by("child_id", "pk")
    for child_id, name in links.values_list("child_id", "person__full_name").iterator(chunk_size=READ_BATCH):
        guardians[child_id].append(name)
    rows = children.order_by("pk").values_list(
        "pk", "full_name", "date_of_birth", "sex", "ethnicity", "personal_id", "village_id", "commune_id",
        "household_id",
    )  # fmt: skip
    for pk, name, dob, sex, ethnicity, pid, village, commune, household in rows.iterator(chunk_size=READ_BATCH):
        yield engine.Record(
            record_id=str(pk), full_name=name, date_of_birth=dob.isoformat() if dob else "", sex=sex,
            ethnicity=ethnicity, personal_id=pid or "", guardian_name=";".join(guardians.get(pk, ())),
            village=str(village or ""), commune_code=str(commune), household_code=f"h{household}",
        )  # fmt: skip


class _Progress:
    def __init__(self, run: MatchRun, echo: engine.Progress | None = None) -> None:
        self.run, self.echo = run, echo
        self.last: tuple[str, int] = ("", -PROGRESS_EVERY)

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage == self.last[0] and done - self.last[1] < PROGRESS_EVERY and done != total:
            return
        self.last = (stage, done)
        MatchRun.objects.filter(pk=self.run.pk).update(stage=stage, done=done, total=total)
        if self.echo:
            self.echo(stage, done, total)


def start_run(
    *, actor: User | None, unit: Unit | None, source: str = RunSource.PAGE, child_ids: Iterable[int] | None = None
) -> MatchRun:
    """Create a run and queue it for the task worker (after the current transaction commits). With `child_ids`, the
    run compares those children with their candidates from the whole registry (see `nearby`), not the unit's."""
    from .tasks import run_matching

    check_can_run(actor, unit)
    run = MatchRun.objects.create(
        unit=unit, unit_path=unit.path if unit else "", source=source,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        child_ids=sorted(set(child_ids)) if child_ids is not None else None,
    )  # fmt: skip
    transaction.on_commit(lambda: run_matching.enqueue(run.pk))
    return run


def start_after_import(unit: Unit, child_ids: Iterable[int] | None = None) -> MatchRun:
    """The run an import queues once its rows are stored, as the system: the children it stored (`child_ids`)
    against the whole registry, so its cost follows the rows imported, not the registry; without the ids, the
    commune's children, new and old."""
    return start_run(actor=None, unit=unit, source=RunSource.IMPORT, child_ids=child_ids)


def _fill_blanks(survivor: Child, other: Child) -> dict[str, Any]:
    """For an automatic merge: keep the survivor's values and take the other's only where the survivor has none."""
    values = {}
    for name in MERGEABLE_FIELDS:
        if getattr(survivor, name) in (None, "") and getattr(other, name) not in (None, ""):
            values[name] = getattr(other, name)
    return values


def _auto_merge(run: MatchRun, candidate: MatchCandidate) -> bool:
    survivor, other = candidate.child_a, candidate.child_b  # the lower id: the older record survives
    try:
        merge_children(
            actor=None, survivor=survivor, other=other, chosen_values=_fill_blanks(survivor, other),
            candidate=candidate, automatic=True,
        )  # fmt: skip
    except (ValidationError, PermissionDenied) as exc:
        logger.warning("run %s: automatic merge of %s left for review: %s", run.pk, candidate, exc)
        return False
    return True


def store_pairs(run: MatchRun, pairs: list[engine.Pair], progress: _Progress | None = None) -> tuple[int, int]:
    """Save the pairs as candidates (decided pairs untouched); merge the automatic ones. (new pairs, merged)."""
    new = merged = 0
    for start in range(0, len(pairs), SAVE_BATCH):
        batch = pairs[start : start + SAVE_BATCH]
        keys = [tuple(sorted((int(p.id_a), int(p.id_b)))) for p in batch]
        existing = {
            (c.child_a_id, c.child_b_id): c
            for c in MatchCandidate.objects.filter(
                child_a_id__in={a for a, _b in keys}, child_b_id__in={b for _a, b in keys}
            )
        }
        with transaction.atomic():
            for pair, (a, b) in zip(batch, keys, strict=True):
                features = {**pair.features, "twin_guard": pair.twin_guard}
                candidate = existing.get((a, b))
                if candidate is None:
                    candidate = MatchCandidate.objects.create(
                        child_a_id=a, child_b_id=b, probability=pair.probability, features=features, run=run
                    )
                    new += 1
                elif candidate.status == CandidateStatus.PENDING:
                    candidate.probability, candidate.features, candidate.run = pair.probability, features, run
                    candidate.save(update_fields=["probability", "features", "run", "updated_at"])
                else:
                    continue  # decided before: remembered, never suggested again
                if pair.decision == engine.MERGE:
                    merged += _auto_merge(run, candidate)
        if progress:
            progress("saving", start + len(batch), len(pairs))
    return new, merged


def _unit_columns(unit_path: str, progress: _Progress) -> engine.Columns:
    total = _children(unit_path).count()
    builder = engine.ColumnBuilder()
    for n, record in enumerate(registry_records(unit_path), start=1):
        builder.add(record)
        if n % PROGRESS_EVERY == 0:
            progress("reading", n, total)
    return builder.build()


def execute_run(run: MatchRun, *, echo: engine.Progress | None = None) -> MatchRun:
    """Do the work of a run now (the task calls this; so does `treem match run` in the foreground)."""
    MatchRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, started_at=timezone.now(), error="")
    progress = _Progress(run, echo)
    try:
        if run.child_ids is None:
            columns, involving = _unit_columns(run.unit_path, progress), None
        else:
            columns, involving = nearby.columns_with_candidates(run.child_ids, child_records, progress)
        result = engine.match_columns(columns, progress=progress, involving=involving)
        new, merged = store_pairs(run, result.pairs, progress)
    except Exception as exc:
        MatchRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, error=str(exc)[:2000],
                                                  finished_at=timezone.now())  # fmt: skip
        raise
    MatchRun.objects.filter(pk=run.pk).update(
        status=RunStatus.DONE, finished_at=timezone.now(), records=result.records, candidates=result.candidates,
        pairs_found=len(result.pairs), new_pairs=new, auto_merged=merged, stage="saving", done=1, total=1,
    )  # fmt: skip
    run.refresh_from_db()
    return run
