"""The lease a running import holds on its job, so a job whose worker died is seen as stale and recovered.

Whoever runs a check or a commit takes the lease (a token and a time) and renews it while it works, at most every
third of the lease. Outside a transaction it renews through its own connection. Inside the commit's transaction it
renews through a second connection on PostgreSQL (the job's row is not locked by the commit until its very end);
on SQLite it cannot (the commit holds the database's write lock), but there nobody else can take the job either
while the commit's transaction is open, and a killed process's transaction dies with its lock.
The commit stores its result only while it still holds the lease, so a recovered job is never saved twice.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

from .models import ImportJob

T = TypeVar("T")


class LeaseLost(Exception):
    """The job was recovered as stale (or taken by another run) while this run worked on it."""


def lease_seconds() -> int:
    return int(getattr(settings, "TREEM_IMPORT_LEASE_SECONDS", 300))


def lease_until() -> dt.datetime:
    return timezone.now() + dt.timedelta(seconds=lease_seconds())


def new_token() -> str:
    return uuid.uuid4().hex


def progress_path(job_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / "progress" / f"{job_id}.txt"


def read_progress(job: ImportJob) -> int:
    """The rows a running job has done: from its progress file while one is written for its lease, else its row."""
    try:
        token, done = progress_path(job.pk).read_text().split()
    except (OSError, ValueError):
        return job.processed_rows
    return int(done) if token == job.lease_token and done.isdigit() else job.processed_rows


class Lease:
    def __init__(self, job_id: int, token: str) -> None:
        self.job_id, self.token = job_id, token
        self.renewed = time.monotonic()
        self.side: Any = None  # a second connection, for renewals inside a transaction on PostgreSQL

    @classmethod
    def take(cls, job: ImportJob, **changes: Any) -> Lease:
        """Take (or keep, when a task was given the job's token) the lease and set `changes` on the job."""
        token = job.lease_token or new_token()
        until = lease_until()
        taken = ImportJob.objects.filter(pk=job.pk, lease_token=job.lease_token).update(
            lease_token=token, lease_until=until, **changes
        )
        if not taken:
            raise LeaseLost
        job.lease_token, job.lease_until = token, until
        for name, value in changes.items():
            setattr(job, name, value)
        return cls(job.pk, token)

    def renew(self, *, force: bool = False) -> None:
        if not force and time.monotonic() - self.renewed < lease_seconds() / 3:
            return
        self.renewed = time.monotonic()
        if not connection.in_atomic_block:
            if not ImportJob.objects.filter(pk=self.job_id, lease_token=self.token).update(lease_until=lease_until()):
                raise LeaseLost
        elif connection.vendor == "postgresql":
            if self.side is None:
                self.side = connections.create_connection(DEFAULT_DB_ALIAS)
            table = ImportJob._meta.db_table
            with self.side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET lease_until = %s WHERE id = %s AND lease_token = %s",  # noqa: S608
                    [lease_until(), self.job_id, self.token],
                )

    def progress(self, done: int) -> None:
        """Rows done so far, where the page that polls the job sees them: the job's row outside a transaction and on
        PostgreSQL (through the second connection), else (inside SQLite's write transaction, which no other
        connection can write beside) a small file read by `read_progress`."""
        if not connection.in_atomic_block:
            ImportJob.objects.filter(pk=self.job_id, lease_token=self.token).update(processed_rows=done)
        elif connection.vendor == "postgresql":
            if self.side is None:
                self.side = connections.create_connection(DEFAULT_DB_ALIAS)
            table = ImportJob._meta.db_table
            with self.side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET processed_rows = %s WHERE id = %s AND lease_token = %s",  # noqa: S608
                    [done, self.job_id, self.token],
                )
        else:
            path = progress_path(self.job_id)
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".tmp")
            partial.write_text(f"{self.token} {done}")
            partial.replace(path)

    def rows(self, rows: Iterable[T]) -> Iterator[T]:
        """The rows, renewing the lease as they are consumed."""
        for item in rows:
            self.renew()
            yield item

    def close(self) -> None:
        progress_path(self.job_id).unlink(missing_ok=True)
        if self.side is not None:
            self.side.close()
            self.side = None
