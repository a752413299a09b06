"""The dry run cleans a large file's rows in worker processes: the issues, the staged rows and the duplicates are
exactly those of cleaning every row in the process itself."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import random
import signal
import time
from pathlib import Path
from typing import Any

import pytest

from treem.core.ids import make_personal_id
from treem.core.text import fold
from treem.imports import pipeline
from treem.imports.cleaning import RowContext
from treem.imports.models import ImportIssue, ImportJob
from treem.imports.services import import_validate, job_create
from treem.imports.tests.test_pipeline import officer, row, write_xlsx

__all__ = ["officer"]
pytestmark = pytest.mark.django_db

SURNAMES = ["Sùng", "Giàng", "Lò", "VÀNG", "Hầu ", "Thào", "Lý"]
GIVEN = ["Thị Sua", "A Páo", "Văn Minh", "THỊ MỶ", "A  Chứ", "Thị Sếnh", "Seo Dính", "Mai", "Thị Hoa"]
# new villages spelled several ways: the first row that names one names it for every later row, whichever worker
# cleaned it
VILLAGES = ["Bản Hon", "Bản Lầm", "Bản Nậm Ngập", "ban nam ngap", "BẢN NẬM NGẬP", "Thôn Mới", "thon moi", "Bản Hon"]


def messy(n: int) -> list[list[object]]:
    rng = random.Random(19)  # noqa: S311 - synthetic rows, not secrets
    rows: list[list[object]] = []
    for i in range(1, n + 1):
        dob = dt.date(2010, 1, 1) + dt.timedelta(days=rng.randrange(4000))
        sex = rng.choice(["Nam", "Nữ", "nu", ""])
        pid = make_personal_id("012", dob, "F" if sex in ("Nữ", "nu") else "M", i) if rng.random() < 0.4 else ""
        day = rng.choice([dob.strftime("%d/%m/%Y"), dob.strftime("%d-%m-%y"), str(dob.year), "31/02/2014", ""])
        name = f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}"
        father = rng.choice(["", "Sùng A Páo", "Lò Văn Tâm"])
        groups = rng.choice(["", "a", "d; h"])
        rows.append(row(i, name, day, sex, pid=pid, village=rng.choice(VILLAGES), hh=f"KH-{i % 300}", father=father,
                        groups=groups))  # fmt: skip
        if rng.random() < 0.05:  # the same child again, further down the file (often in another chunk)
            rows.append([i + 10_000, *rows[rng.randrange(len(rows))][1:]])
    return rows


def issues(job: ImportJob) -> list[tuple[Any, ...]]:
    return list(
        ImportIssue.objects.filter(job=job)
        .order_by("source_row")
        .values_list("source_row", "status", "messages", "values", "changes", "existing_child_id", "staged")
    )


def test_parallel_and_serial_dry_runs_give_the_same_rows(tree, officer, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    path = write_xlsx(tmp_path / "ds.xlsx", messy(2500))
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_ROWS", 300)
    monkeypatch.setattr(pipeline, "PARALLEL_CHUNK", 200)
    merged: list[int] = []
    real_merged = pipeline._merged

    def counting(chunk: list[Any], *args: Any) -> Any:
        merged.append(len(chunk))
        return real_merged(chunk, *args)

    monkeypatch.setattr(pipeline, "_merged", counting)
    runs = {}
    for workers in (0, 2):
        monkeypatch.setattr("django.conf.settings.TREEM_IMPORT_WORKERS", workers)
        job = import_validate(job_create(actor=officer, unit=tree.commune, path=path, original_name=path.name))
        runs[workers] = (job.counts, job.total_rows, issues(job))
    assert len(merged) > 5, "the second run was cleaned in worker processes"
    serial, parallel = runs[0], runs[2]
    assert serial[0] == parallel[0]
    assert serial[1] == parallel[1] > 2500
    assert {"ok", "warning", "error", "duplicate"} <= set(serial[0])
    assert serial[2] == parallel[2]
    # every spelling of the new village Nậm Ngập is saved under the one name its first row gave
    spellings = {v["village"] for _n, _s, _m, v, *_ in parallel[2] if fold(v.get("village", "")) == "ban nam ngap"}
    assert len(spellings) == 1


def test_small_files_are_cleaned_in_this_process(tree, officer, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr("django.conf.settings.TREEM_IMPORT_WORKERS", 2)
    monkeypatch.setattr(pipeline, "_clean_chunk", None)  # a worker would fail
    path = write_xlsx(tmp_path / "ds.xlsx", messy(50))
    job = import_validate(job_create(actor=officer, unit=tree.commune, path=path, original_name=path.name))
    assert job.total_rows > 50


def test_where_processes_cannot_start_the_rows_are_cleaned_in_this_process(
    tree, officer, tmp_path: Path, monkeypatch
) -> None:  # noqa: ANN001
    class Refused:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            self.shut = False

        def submit(self, *args: Any) -> Any:
            raise OSError(11, "Resource temporarily unavailable")

        def shutdown(self, **kwargs: Any) -> None:
            self.shut = True

    monkeypatch.setattr(pipeline, "PARALLEL_MIN_ROWS", 300)
    path = write_xlsx(tmp_path / "ds.xlsx", messy(600))
    monkeypatch.setattr("django.conf.settings.TREEM_IMPORT_WORKERS", 0)
    serial = import_validate(job_create(actor=officer, unit=tree.commune, path=path, original_name=path.name))
    monkeypatch.setattr("django.conf.settings.TREEM_IMPORT_WORKERS", 2)
    monkeypatch.setattr(pipeline, "ProcessPoolExecutor", Refused)
    refused = import_validate(job_create(actor=officer, unit=tree.commune, path=path, original_name=path.name))
    assert refused.counts == serial.counts
    assert issues(refused) == issues(serial)


def _start_a_worker(conn: Any) -> None:  # in a forked process: start a pool, say its worker, wait to be killed
    pool = pipeline._pool(1, RowContext("Khun Há", set(), {}))
    conn.send(list(pool._processes) if pool is not None else [])  # noqa: SLF001 - the worker's pid
    time.sleep(60)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")  # a zombie has ended (its new parent may be slow to reap it)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_a_worker_dies_with_the_process_that_started_it() -> None:
    """A task killed with -9 during a dry run leaves no worker process behind."""
    fork = multiprocessing.get_context("fork")
    ours, theirs = fork.Pipe()
    starter = fork.Process(target=_start_a_worker, args=(theirs,))
    starter.start()
    assert ours.poll(30)
    (worker,) = ours.recv()
    assert _alive(worker)
    os.kill(starter.pid or 0, signal.SIGKILL)
    starter.join()
    deadline = time.monotonic() + 10
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(worker)
