"""The task worker killed with SIGKILL in the middle of a commit: once the job's lease runs out it is recovered,
its task row is ended, and a second commit stores every row once (a real `db_worker` process, as in test_kill)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django_tasks_db.models import DBTaskResult

from treem.imports.models import ImportJob
from treem.imports.tests.test_kill import SETUP, Database, database, write_file  # noqa: F401 - the fixture
from treem.registry.models import Child

LEASE = 20  # seconds; the commit's lease is taken when the worker starts it
DEADLINE = 180
# the queue in the database, and one media directory for every process (the test settings make one per process)
START = """import os, sys, django
from django.conf import settings
settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
settings.MEDIA_ROOT = os.environ["KILL_MEDIA_ROOT"]
django.setup()
"""
CHECK_AND_QUEUE = (
    START
    + """
from pathlib import Path
from treem.imports.services import import_validate, job_create
from treem.imports.tasks import commit_enqueue
from treem.units.models import Unit
path = Path(sys.argv[1])
job = import_validate(job_create(actor=None, unit=Unit.objects.get(code="03430"), path=path, original_name=path.name))
commit_enqueue(job, actor=None)
"""
)
QUEUE_AGAIN = (
    START
    + """
from treem.imports.models import ImportJob
from treem.imports.tasks import commit_enqueue
commit_enqueue(ImportJob.objects.get(), actor=None)
"""
)
WORKER = (
    START
    + """
from django.core.management import call_command
call_command("db_worker", batch=True, interval=0.1, startup_delay=False, verbosity=0)
"""
)
RECOVER = (
    START
    + """
from treem.imports.tasks import recover_stale
print(recover_stale())
"""
)
JOBS, TASKS = ImportJob._meta.db_table, DBTaskResult._meta.db_table


def test_a_commit_killed_with_its_worker_is_recovered_and_saved_once(database: Database, tmp_path: Path) -> None:  # noqa: F811
    env = {
        **os.environ,
        "TREEM_DATABASE_URL": database.url,
        "DJANGO_SETTINGS_MODULE": "treem.config.settings.test",
        "TREEM_IMPORT_LEASE_SECONDS": str(LEASE),
        "TMPDIR": str(tmp_path),
        "KILL_MEDIA_ROOT": str(tmp_path / "media"),
        "PYTHONUNBUFFERED": "1",
    }

    def run(script: str, *args: str) -> str:
        command = [sys.executable, "-c", script, *args]
        done = subprocess.run(command, env=env, cwd=tmp_path, timeout=DEADLINE, capture_output=True, text=True)  # noqa: S603
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    run(SETUP)
    run(CHECK_AND_QUEUE, str(write_file(tmp_path / "danh-sach.csv")))
    assert database.job_status() == "committing"
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", WORKER], env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + DEADLINE
        while time.monotonic() < deadline and worker.poll() is None and not database.writing():
            time.sleep(0.05)
        assert worker.poll() is None, "the commit ended before it could be killed"
        os.kill(worker.pid, signal.SIGKILL)
        assert worker.wait(timeout=30) == -signal.SIGKILL
        killed = time.monotonic()
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
        log.close()
    for _ in range(100):  # PostgreSQL rolls the killed backend's transaction back once it sees it gone
        if not database.writing():
            break
        time.sleep(0.1)
    assert database.count(Child._meta.db_table) == 0
    assert database.scalar(f"SELECT status FROM {TASKS}") == "RUNNING"  # noqa: S608 - the dead worker's row
    assert database.scalar(f"SELECT task_id FROM {JOBS}")  # noqa: S608 - the job knows its task

    assert run(RECOVER).strip() == "0"  # within its lease the job is not taken from a worker that may be alive
    assert database.job_status() == "committing"
    while run(RECOVER).strip() != "1":
        assert time.monotonic() - killed < LEASE + 15, "the job was not recovered once its lease ran out"
        time.sleep(1)
    assert database.job_status() == "validated"
    assert database.scalar(f"SELECT status FROM {TASKS}") == "FAILED"  # noqa: S608 - no RUNNING row is left
    message = database.scalar(f"SELECT error_message FROM {JOBS}")  # noqa: S608
    assert "Không có gì được lưu" in message

    run(QUEUE_AGAIN)
    run(WORKER)
    assert database.job_status() == "committed"
    counts = database.scalar(f"SELECT counts FROM {JOBS}")  # noqa: S608
    counts = counts if isinstance(counts, dict) else json.loads(counts)  # psycopg decodes JSON, sqlite3 does not
    assert database.count(Child._meta.db_table) == counts.get("ok", 0) + counts.get("warning", 0) > 0
    commits = f"SELECT status FROM {TASKS} WHERE task_path = 'treem.imports.tasks.commit_job' ORDER BY enqueued_at"  # noqa: S608
    statuses = [row[0] for row in database.query(commits)]
    assert statuses == ["FAILED", "SUCCESSFUL"]
