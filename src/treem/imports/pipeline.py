"""The streaming import pipeline: read rows after the header, clean them, find duplicates in the file and in
the registry, and yield one RowResult per data row. Used by the dry run, the commit and the error workbook."""

from __future__ import annotations

import ctypes
import ctypes.util
import datetime as dt
import functools
import hashlib
import itertools
import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import Max

from treem.core.dates import format_vn, today_vn
from treem.core.errors import Message, gettext_noop
from treem.core.text import canonical_tones, fold
from treem.registry.models import Child
from treem.units.models import Level, Unit

from .cleaning import RowContext, RowResult, clean_row, detect_column_encoding, name_new_village, unit_keys
from .footer import FooterRule
from .groups import vocabulary
from .incidents import check_injuries, kind_vocabulary
from .models import ImportJob
from .readers import ReadError, Table, cell_text, is_blank, max_data_rows, open_table

BATCH = 2000
ENCODING_SAMPLE_ROWS = 500
TEXT_FIELDS = ("full_name", "guardian_name", "father_name", "mother_name", "head_name", "village", "ethnicity",
               "address", "commune", "note", "special_groups",
               "injury_kind", "injury_place", "injury_outcome")  # fmt: skip


def commune_context(commune: Unit, today: dt.date | None = None) -> RowContext:
    keys: set[str] = set()
    for unit in [commune, *Unit.objects.filter(successors__current=commune)]:
        keys |= unit_keys(unit.name) | {unit.code, fold(unit.code)}
    villages: dict[str, str] = {}
    for village in Unit.objects.filter(parent=commune, level=Level.VILLAGE, is_active=True):
        for key in unit_keys(village.name) | unit_keys(village.short_name):
            villages.setdefault(key, village.name)
    return RowContext(
        commune.name, keys, villages, today=today or today_vn(), groups=vocabulary(), kinds=kind_vocabulary()
    )


@dataclass
class Source:
    table: Table
    header_row: int
    mapping: dict[int, str]  # column index -> field

    def data_rows(self) -> Iterator[tuple[int, list[Any], dict[str, Any]]]:
        """(sheet row number, original values, {field: value}) for every non-blank row below the header.

        A file with more than `max_data_rows()` rows below the header is refused (ReadError) before any is read."""
        limit = max_data_rows()
        for number, values in self.table.rows(max_rows=self.header_row + limit, data_rows=limit):
            if number <= self.header_row or is_blank(values):
                continue
            raw = {field: values[i] if i < len(values) else None for i, field in self.mapping.items()}
            yield number, values, raw


def job_source(job: ImportJob) -> Source:
    table = open_table(job.file.path, sheet=job.sheet_name or None)
    return Source(table, job.header_row or 0, {int(k): v for k, v in job.mapping.items()})


def detect_encodings(source: Source) -> dict[str, str | None]:
    """Per column: was it typed in a TCVN3 or VNI font? Judged on a sample of the column, never per cell."""
    samples: dict[str, list[str]] = {f: [] for f in source.mapping.values() if f in TEXT_FIELDS}
    for _number, _values, raw in islice(source.data_rows(), ENCODING_SAMPLE_ROWS):
        for field, bucket in samples.items():
            if isinstance(raw.get(field), str):
                bucket.append(raw[field])
    return {field: detect_column_encoding(values) for field, values in samples.items()}


_fold_name = functools.lru_cache(maxsize=16_384)(fold)  # a name is folded for the file's and the registry's lookups


def _key_hash(*parts: object) -> int:
    digest = hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def dedup_key(values: dict[str, Any]) -> int | None:
    """The duplicate key of a cleaned row: its ID number, else its tone-canonical folded name and date of birth."""
    if values.get("personal_id"):
        return _key_hash("id", values["personal_id"])
    if values.get("full_name") and values.get("date_of_birth"):
        return _key_hash("nd", _fold_name(canonical_tones(values["full_name"])), values["date_of_birth"])
    return None


def _swapped(d: dt.date) -> dt.date | None:
    try:
        return d.replace(month=d.day, day=d.month) if d.day <= 12 else None
    except ValueError:
        return None


class RegistryIndex:
    """Looks rows up against the registry in batches: same ID anywhere, same name and birth in the commune.

    Only children that existed when the pass began are matched: during a commit, the rows this very file has
    already stored must not turn later rows into updates or duplicates, or the commit would decide otherwise than
    the dry run the user saw (and the lookups would grow with the file)."""

    def __init__(self, commune: Unit) -> None:
        self.commune = commune
        self.last_pk = Child.objects.aggregate(last=Max("pk"))["last"] or 0

    def annotate(self, batch: list[RowResult]) -> None:
        rows = [r for r in batch if r.status not in ("error", "footer")]
        ids = {r.values["personal_id"] for r in rows if r.values.get("personal_id")}
        by_id = {
            c.personal_id: c
            for c in Child.objects.filter(personal_id__in=ids, pk__lte=self.last_pk).select_related("commune").only(
                "pk", "personal_id", "full_name", "date_of_birth", "unit_path", "commune__name"
            )
            if c.personal_id is not None  # always: filtered on it
        } if ids else {}  # fmt: skip
        names = {_fold_name(r.values["full_name"]) for r in rows if r.values.get("full_name")}
        by_name: dict[str, list[Child]] = {}
        if names:
            for c in Child.objects.filter(
                unit_path__path_prefix=self.commune.path, name_key__in=names, pk__lte=self.last_pk
            ).only("pk", "name_key", "date_of_birth", "personal_id", "full_name"):
                by_name.setdefault(c.name_key, []).append(c)
        for r in rows:
            self._match(r, by_id, by_name)

    def _match(self, r: RowResult, by_id: dict[str, Child], by_name: dict[str, list[Child]]) -> None:
        v = r.values
        pid = v.get("personal_id")
        if pid and pid in by_id:
            child = by_id[pid]
            if child.unit_path.startswith(self.commune.path):
                v["existing_child_id"] = child.pk
                return
            r.status = "duplicate"
            known = gettext_noop("A child with this number already exists in %(commune)s (#%(pk)s)")
            r.messages.append(("personal_id", Message(known, commune=child.commune.name, pk=child.pk)))
            return
        dob = v.get("date_of_birth")
        for child in by_name.get(_fold_name(v.get("full_name", "")), []):
            if child.personal_id and pid and child.personal_id != pid:
                continue  # two children with the same name and different IDs are two children
            if child.date_of_birth == dob:
                v["existing_child_id"] = child.pk
                return
            near = child.date_of_birth and dob and (
                abs((child.date_of_birth - dob).days) <= 1 or _swapped(child.date_of_birth) == dob
            )  # fmt: skip
            if near and child.date_of_birth is not None:  # near: both dates are known
                r.status = "duplicate"
                maybe = gettext_noop("May be the same as a child already registered: %(name)s, born %(date)s (#%(pk)s)")
                when = format_vn(child.date_of_birth)
                r.messages.append(("full_name", Message(maybe, name=child.full_name, date=when, pk=child.pk)))
                return


# Cleaning in worker processes (the dry run is CPU-bound): files of at least PARALLEL_MIN_ROWS data rows, in chunks of
# PARALLEL_CHUNK rows, at most two chunks per worker (and one) in flight (memory stays bounded).
PARALLEL_MIN_ROWS = 5_000
PARALLEL_CHUNK = 1_000


def workers() -> int:
    """How many worker processes clean a large file's rows besides this one (which reads the file, finds the
    duplicates and stores the issues meanwhile): settings.TREEM_IMPORT_WORKERS (0: none, clean in this process;
    negative: one per CPU but one, at most 4)."""
    configured = int(getattr(settings, "TREEM_IMPORT_WORKERS", -1))
    return configured if configured >= 0 else min(4, (os.cpu_count() or 1) - 1)


type _Read = tuple[int, list[Any], dict[str, Any]]  # (row number, original cells, {field: raw value})


def cleaned(rows: Iterator[_Read], ctx: RowContext) -> Iterator[tuple[int, list[Any], RowResult]]:
    """(row number, original cells, `clean_row`'s result) for every row, in file order.

    A file of PARALLEL_MIN_ROWS rows or more is cleaned in `workers()` processes when it can be: forked from this
    one (the cleaners need nothing from the database), so only when this process runs a single thread and the
    platform can fork; otherwise, and for smaller files, in this process. The results are the same either way:
    `clean_row` depends on nothing but the row and `ctx`, except the naming of new villages, which the rows
    cleaned elsewhere get here, in file order (`name_new_village`)."""
    head = list(islice(rows, PARALLEL_MIN_ROWS))
    n = workers()
    parallel = (
        len(head) == PARALLEL_MIN_ROWS and n > 0 and threading.active_count() == 1
        and "fork" in multiprocessing.get_all_start_methods()
    )  # fmt: skip
    pool = _pool(n, ctx) if parallel else None
    if pool is None:
        for number, values, raw in itertools.chain(head, rows):
            yield number, values, clean_row(number, raw, ctx)
        return
    with pool:
        pending: deque[tuple[list[_Read], Future[list[RowResult]]]] = deque()
        all_rows = itertools.chain(head, rows)
        chunks = iter(lambda: list(islice(all_rows, PARALLEL_CHUNK)), [])
        for chunk in chunks:
            pending.append((chunk, pool.submit(_clean_chunk, [(number, raw) for number, _values, raw in chunk])))
            if len(pending) >= 2 * n + 1:
                yield from _merged(*pending.popleft(), ctx)
        while pending:
            yield from _merged(*pending.popleft(), ctx)


def _pool(n: int, ctx: RowContext) -> ProcessPoolExecutor | None:
    """`n` worker processes started, or None where they cannot be (a sandbox, a platform or a limit that refuses
    them): the rows are then cleaned in this process."""
    pool = ProcessPoolExecutor(
        n, mp_context=multiprocessing.get_context("fork"), initializer=_worker_start, initargs=(ctx, os.getpid())
    )
    try:
        pool.submit(int).result()  # starts the workers
    except (OSError, NotImplementedError, BrokenProcessPool):
        pool.shutdown(wait=False, cancel_futures=True)
        return None
    return pool


def _merged(
    chunk: list[_Read], future: Future[list[RowResult]], ctx: RowContext
) -> Iterator[tuple[int, list[Any], RowResult]]:
    for (number, values, _raw), result in zip(chunk, future.result(), strict=True):
        if result.values.get("new_village"):
            name_new_village(result, ctx)
        yield number, values, result


_worker_ctx: RowContext | None = None
PR_SET_PDEATHSIG = 1  # prctl(2)
_inherited: list[Any] = []  # the parent's database connections, kept (never closed, never used) in a worker


def _worker_start(ctx: RowContext, parent: int) -> None:
    """In a worker process: the context to clean with. The worker dies with its parent (a task killed with -9 leaves
    no worker behind: Linux's parent-death signal). The database connections inherited from the parent are the
    parent's: a worker never uses them (a query would open its own) and never closes them (closing one would end
    the parent's session or touch its SQLite file), so each is kept referenced until the worker exits."""
    global _worker_ctx  # noqa: PLW0603 - one context per worker process
    _worker_ctx = ctx
    _die_with(parent)
    for conn in connections.all(initialized_only=True):
        _inherited.append(conn.connection)
        conn.connection = None


def _die_with(parent: int) -> None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the worker ends when its queue does
        pass
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)


def _clean_chunk(rows: list[tuple[int, dict[str, Any]]]) -> list[RowResult]:
    ctx = _worker_ctx
    assert ctx is not None  # noqa: S101 - set by _worker_start
    out = []
    for number, raw in rows:
        if ctx.new_villages:  # each row names its new village as spelled; the parent names them in file order
            ctx.new_villages.clear()
        out.append(clean_row(number, raw, ctx))
    return out


def clean_rows(
    job: ImportJob, source: Source | None = None, ctx: RowContext | None = None
) -> Iterator[tuple[RowResult, list[Any]]]:
    """Every data row of the job's file, cleaned, with duplicates marked; streamed in batches.

    Raises ReadError when the file has no data row below its header, or too many (see Source.data_rows)."""
    source = source or job_source(job)
    ctx = ctx or commune_context(job.unit)
    ctx.encodings = detect_encodings(source)
    seen: dict[int, int] = {}
    index = RegistryIndex(job.unit)
    footer = FooterRule()
    batch: list[tuple[RowResult, list[Any]]] = []
    rows = 0
    for number, values, result in cleaned(source.data_rows(), ctx):
        rows += 1
        if footer.is_footer(values, result):
            result.status, result.messages, result.changes = "footer", [], []
        elif result.status != "error":
            key = dedup_key(result.values)
            if key is not None:
                first = seen.setdefault(key, number)
                if first != number:
                    result.status = "duplicate"
                    result.messages.append(
                        ("full_name", Message(gettext_noop("Same as row %(row)s of the file"), row=first))
                    )
        result.cleaned_status = result.status
        batch.append((result, values))
        if len(batch) >= BATCH:
            index.annotate([r for r, _ in batch])
            check_injuries([r for r, _ in batch])
            yield from batch
            batch = []
    if batch:
        index.annotate([r for r, _ in batch])
        check_injuries([r for r, _ in batch])
        yield from batch
    if not rows:
        raise ReadError(
            "no_data",
            Message(gettext_noop("No data row below the header row (row %(row)s)"), row=source.header_row),
        )


def original_headers(job: ImportJob) -> list[str]:
    return [cell_text(h) for h in job.headers]
