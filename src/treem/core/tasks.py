"""Tasks whose worker died: a task worker killed (SIGKILL, out of memory, power lost) leaves its task RUNNING in
django_tasks_db's table forever, and the app's own record of the work (a matching run…) says "running" forever.

`recover_tasks` marks such tasks FAILED (exception `WorkerStopped`) and lets each app put its own record right
through the hooks it registered with `on_worker_stopped` in its AppConfig.ready() (the matching run is marked failed,
so that it can be started again). Which tasks are dead is known exactly, not guessed from a timeout:

- `treem serve` gives its task worker a worker id of its own (`serve_worker_id`); when that process ends, every task
  still RUNNING under that id is dead (the process that ran it is gone), and it is recovered before the worker is
  started again;
- when `treem serve` starts, the tasks left RUNNING by an earlier `treem serve` on the same host (the whole service
  killed or the machine restarted) are recovered;
- by hand, `treem tasks recover --worker-id ID` for a worker run on its own (`treem db_worker --worker-id ID`).
"""

from __future__ import annotations

import logging
import secrets
import socket
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.tasks import TaskResultStatus
from django.utils import timezone

logger = logging.getLogger(__name__)

SERVE_PREFIX = "treem-serve"
Hook = Callable[[list[Any], dict[str, Any]], None]
_hooks: dict[str, list[Hook]] = {}


class WorkerStopped(RuntimeError):
    """The exception a recovered task is marked failed with: its worker process ended while it ran."""


def on_worker_stopped(task_path: str, hook: Hook) -> None:
    """Call ``hook(args, kwargs)`` (the task's arguments) for each recovered task of `task_path` ("module.name")."""
    _hooks.setdefault(task_path, []).append(hook)


def serve_host() -> str:
    return socket.gethostname().replace(":", "-")[:60] or "host"


def serve_worker_id(token: str | None = None) -> str:
    """The task worker id of one `treem serve` (fits django_tasks_db's 64 characters): host and a random token."""
    return f"{SERVE_PREFIX}:{serve_host()}:{token or secrets.token_hex(6)}"


def recover_tasks(*, worker_ids: Iterable[str] = (), earlier_serve_of: str = "") -> int:
    """Mark FAILED the tasks RUNNING under one of `worker_ids`, or (with `earlier_serve_of`, a serve worker id)
    under any other `treem serve` worker of the same host; run the apps' hooks. Returns how many were recovered."""
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415 - an installed app; the models after setup

    dead = set(worker_ids)
    host = earlier_serve_of.rsplit(":", 1)[0] + ":" if earlier_serve_of else ""
    recovered = 0
    for task in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only("id", "worker_ids", "task_path"):
        worker = task.worker_ids[-1] if task.worker_ids else ""
        if not (worker in dead or (host and worker.startswith(host) and worker != earlier_serve_of)):
            continue
        try:
            with transaction.atomic():  # the task and its app's records together, or neither
                done = DBTaskResult.objects.filter(pk=task.pk, status=TaskResultStatus.RUNNING).update(
                    status=TaskResultStatus.FAILED,
                    finished_at=timezone.now(),
                    exception_class_path=f"{WorkerStopped.__module__}.{WorkerStopped.__qualname__}",
                    traceback=f"The task worker {worker} stopped while it ran this task (recovered by Treem).",
                )
                if done:
                    task.refresh_from_db(fields=["args_kwargs"])
                    for hook in _hooks.get(task.task_path, []):
                        hook(list(task.args_kwargs.get("args", [])), dict(task.args_kwargs.get("kwargs", {})))
        except Exception:  # one app's failure does not keep the other tasks running for ever; this one is retried
            logger.exception("task %s (%s): recovery failed; left for the next recovery", task.pk, task.task_path)
            continue
        if done:
            logger.warning("task %s (%s): its worker %s stopped; marked failed", task.pk, task.task_path, worker)
            recovered += 1
    return recovered
