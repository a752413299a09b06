"""The task worker killed with SIGKILL in the middle of a matching run: the run and its task are not left "running"
forever; `treem serve` marks both failed when it restarts the worker, and a new run gives the right pairs.

A real `treem serve` with its task worker (django_tasks_db's database backend) against a database of its own
(treem.core.tests.faults); the worker process kills itself right after it inserted the run's first pair, inside the
transaction of the batch of pairs.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from treem.core.tests.faults import COMMUNE_OFFICER, HOUSEHOLD, Database, Harness, Server, fault_database
from treem.matching.models import MatchCandidate, MatchRun, RunStatus
from treem.matching.runs import WORKER_STOPPED

__all__ = ["fault_database"]

CHILDREN = (
    COMMUNE_OFFICER
    + HOUSEHOLD
    + """
child = registry.child_register(
    actor=officer, household=household,
    data=registry.ChildInput(full_name="Sùng Thị Sua", sex="F", date_of_birth=dt.date(2013, 5, 2), ethnicity="Mông"),
    guardians=[registry.GuardianInput("Sùng A Páo", "father")],
)
twice = registry.child_register(
    actor=officer, household=household,
    data=registry.ChildInput(full_name="Sung Thi Sua", sex="F", date_of_birth=dt.date(2013, 5, 2), ethnicity=""),
    guardians=[registry.GuardianInput("Sung A Pao", "father")],
)
OUT = {"child": child.pk, "twice": twice.pk}
"""
)
START_RUN = """
from treem.accounts.models import User
from treem.matching.runs import start_run
from treem.units.models import Unit

officer = User.objects.get(role__code="commune_officer")
OUT = start_run(actor=officer, unit=Unit.objects.get(code="03430")).pk
"""
RUNS, TASKS, PAIRS = MatchRun._meta.db_table, DBTaskResult._meta.db_table, MatchCandidate._meta.db_table


def wait_for(check: object, what: str, harness: Harness, seconds: float = 40) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.25)
    raise AssertionError(f"{what}: " + harness.log("server.log"))


def run_state(database: Database, run: int) -> tuple[str, str]:
    return database.query(f"SELECT status, error FROM {RUNS} WHERE id = {run}")[0]  # noqa: S608


def test_killed_worker_leaves_no_task_running_forever(fault_database: Database, tmp_path: Path) -> None:
    harness = Harness(fault_database, tmp_path, fault_sql=rf'^INSERT INTO "{PAIRS}"', tasks_in_database=True)
    made = harness.python(CHILDREN)
    run = harness.python(START_RUN)
    assert fault_database.count(TASKS, f"status = '{TaskResultStatus.READY}'") == 1
    harness.arm()
    with Server(harness, worker=True):
        wait_for(lambda: harness.fired, "the worker did not reach the run's pairs", harness)
        wait_for(
            lambda: run_state(fault_database, run)[0] != RunStatus.RUNNING,
            "the run is still running after its worker was killed",
            harness,
        )
        assert run_state(fault_database, run) == (RunStatus.FAILED, WORKER_STOPPED)
        assert fault_database.count(TASKS, f"status = '{TaskResultStatus.RUNNING}'") == 0
        assert fault_database.count(TASKS, f"status = '{TaskResultStatus.FAILED}'") == 1
        assert fault_database.count(PAIRS) == 0  # the batch of pairs was one transaction: none of it stayed

        harness.disarm()
        again = harness.python(START_RUN)  # the restarted worker runs a new one to the end
        wait_for(lambda: run_state(fault_database, again)[0] == RunStatus.DONE, "the new run did not finish", harness)
    pairs = fault_database.query(f"SELECT child_a_id, child_b_id FROM {PAIRS}")  # noqa: S608
    assert pairs == [(made["child"], made["twice"])]
    assert "marked failed" in harness.log("server.log")
