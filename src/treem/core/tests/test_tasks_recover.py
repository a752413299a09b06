"""Tasks whose worker died (treem.core.tasks): marked failed exactly for the worker known to be gone, the apps' hooks
told, nothing else touched; `treem serve` recovers before it restarts its task worker."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from treem.core import tasks
from treem.core.serve import ChildSpec, Supervisor
from treem.core.tests.test_serve import Clock, FakeProcess

pytestmark = pytest.mark.django_db
PATH = "treem.tests.some_task"


def task_row(worker: str, status: str = TaskResultStatus.RUNNING, args: list[Any] | None = None) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=status, args_kwargs={"args": args or [], "kwargs": {}}, task_path=PATH, worker_ids=[worker],
        backend_name="default", run_after=timezone.now() - dt.timedelta(minutes=1), started_at=timezone.now(),
    )  # fmt: skip


@pytest.fixture
def hooked(monkeypatch: pytest.MonkeyPatch) -> list[list[Any]]:
    calls: list[list[Any]] = []
    monkeypatch.setattr(tasks, "_hooks", {})
    tasks.on_worker_stopped(PATH, lambda args, kwargs: calls.append(args))
    return calls


def test_the_tasks_of_a_dead_worker_are_failed_and_the_app_told(hooked: list[list[Any]]) -> None:
    dead, alive = task_row("w-dead", args=[7]), task_row("w-alive", args=[8])
    done = task_row("w-dead", status=TaskResultStatus.SUCCESSFUL, args=[9])
    assert tasks.recover_tasks(worker_ids=["w-dead"]) == 1
    dead.refresh_from_db()
    assert dead.status == TaskResultStatus.FAILED and dead.finished_at is not None
    assert dead.exception_class_path == "treem.core.tasks.WorkerStopped"
    assert DBTaskResult.objects.get(pk=alive.pk).status == TaskResultStatus.RUNNING
    assert DBTaskResult.objects.get(pk=done.pk).status == TaskResultStatus.SUCCESSFUL
    assert hooked == [[7]]
    assert tasks.recover_tasks(worker_ids=["w-dead"]) == 0 and hooked == [[7]]  # once


def test_a_failing_hook_leaves_its_task_for_later_and_the_others_are_recovered(hooked: list[list[Any]]) -> None:
    def broken(args: list[Any], kwargs: dict[str, Any]) -> None:
        if args == [1]:
            raise RuntimeError("the app could not put its record right")

    tasks.on_worker_stopped(PATH, broken)
    first, second = task_row("w-dead", args=[1]), task_row("w-dead", args=[2])
    assert tasks.recover_tasks(worker_ids=["w-dead"]) == 1
    assert DBTaskResult.objects.get(pk=first.pk).status == TaskResultStatus.RUNNING  # all or nothing: tried again
    assert DBTaskResult.objects.get(pk=second.pk).status == TaskResultStatus.FAILED


def test_a_new_serve_recovers_the_tasks_of_an_earlier_serve_of_its_host(hooked: list[list[Any]]) -> None:
    me = tasks.serve_worker_id("new")
    host = me.rsplit(":", 1)[0]
    earlier, mine = task_row(f"{host}:old", args=[1]), task_row(me, args=[2])
    other_host, standalone = task_row("treem-serve:elsewhere:x", args=[3]), task_row("db-worker-1", args=[4])
    assert tasks.recover_tasks(earlier_serve_of=me) == 1
    assert DBTaskResult.objects.get(pk=earlier.pk).status == TaskResultStatus.FAILED
    for row in (mine, other_host, standalone):
        assert DBTaskResult.objects.get(pk=row.pk).status == TaskResultStatus.RUNNING
    assert hooked == [[1]]


def test_treem_tasks_recover_for_a_worker_run_on_its_own(hooked: list[list[Any]], capsys) -> None:  # noqa: ANN001
    row = task_row("db-worker-1", args=[5])
    call_command("tasks", "recover", "--worker-id", "db-worker-1")
    assert DBTaskResult.objects.get(pk=row.pk).status == TaskResultStatus.FAILED
    assert "1 tasks" in capsys.readouterr().out


def test_the_supervisor_reports_the_end_of_a_worker_before_restarting_it() -> None:
    clock, ended, started = Clock(), [], []

    def popen(argv: list[str]) -> FakeProcess:
        started.append(FakeProcess(argv, pid=100 + len(started)))
        return started[-1]

    children = [ChildSpec("web", ["web"], restart=False), ChildSpec("worker", ["worker"], restart=True)]
    sup = Supervisor(children, popen=popen, clock=clock, sleep=lambda s: None, on_exit=ended.append)  # type: ignore[arg-type]
    for child in sup.children:
        sup._start(child)
    started[1].code = -9
    sup.step()
    assert ended == [children[1]] and len(started) == 2


def test_a_failing_recovery_never_stops_treem_serve(monkeypatch: pytest.MonkeyPatch, caplog) -> None:  # noqa: ANN001
    from treem.core.management.commands import serve as command

    def broken(**which: object) -> int:
        raise RuntimeError("a hook's bug")

    monkeypatch.setattr(command, "recover_tasks", broken)
    command.Command()._recover(worker_ids=["w"])  # no exception
    assert "could not recover" in caplog.text
