"""`treem serve`: the production web server (gunicorn, several worker processes) and the task worker (`db_worker`)
as two supervised child processes.

- The web server's master restarts its own dead workers; if the master itself ends, `treem serve` stops the task
  worker and ends with the master's status, so that systemd or the container runtime restarts the whole service.
- The task worker is restarted when it dies (after 1 s, doubled up to 60 s while it keeps dying within a minute of
  its start). Before that, the tasks it left RUNNING are recovered (`treem.core.tasks`): it runs under a worker id
  of this `treem serve`, so they are known to be dead.
- SIGTERM, SIGINT or SIGHUP: both children get SIGTERM (gunicorn finishes its requests in flight, the task worker
  its current task), `treem serve` waits for them (then kills what is left after ``stop_timeout``) and ends with 0.
"""

from __future__ import annotations

import hashlib
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command

from treem.core.health import treem_version

logger = logging.getLogger(__name__)

MAX_DEFAULT_WORKERS = 12
RESTART_DELAY = 1.0
MAX_RESTART_DELAY = 60.0
STABLE_AFTER = 60.0  # a task worker that ran this long before dying is restarted after the first delay again


def default_workers(cpu_count: int | None = None) -> int:
    """Gunicorn's rule for synchronous workers, (2 x CPUs) + 1, at most 12 (each worker holds a Django process,
    about 100 MB)."""
    cpus = cpu_count if cpu_count is not None else (os.process_cpu_count() or 1)
    return max(1, min(2 * cpus + 1, MAX_DEFAULT_WORKERS))


def static_fingerprint() -> str:
    """What `collectstatic` would collect: every source file's path, size and modification time, the storage and
    Treem's version."""
    digest = hashlib.sha256(f"{treem_version()}\0{settings.STORAGES['staticfiles']['BACKEND']}".encode())
    entries = []
    for finder in finders.get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            stat = os.stat(storage.path(path))
            entries.append(f"{getattr(storage, 'prefix', '') or ''}/{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    for entry in sorted(entries):
        digest.update(entry.encode() + b"\n")
    return digest.hexdigest()


def collectstatic_if_changed() -> bool:
    """Runs `collectstatic` unless STATIC_ROOT already holds what it would collect (a restart after an upgrade
    collects again; a plain restart takes no time). Compressing the files (gzip and Brotli) takes a CPU 15 s or more.
    Returns whether it ran."""
    root = Path(settings.STATIC_ROOT)
    stamp = root.with_name(f"{root.name}.collected")  # beside STATIC_ROOT: WhiteNoise serves all that is inside
    fingerprint = static_fingerprint()
    collected = root.is_dir() and any(root.iterdir())
    if collected and stamp.is_file() and stamp.read_text(encoding="utf-8") == fingerprint:
        return False
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(fingerprint, encoding="utf-8")
    return True


@dataclass(frozen=True)
class ChildSpec:
    name: str
    argv: list[str]
    restart: bool  # True: restarted when it ends; False: its end ends `treem serve`


@dataclass(frozen=True)
class ServeOptions:
    bind: str = "127.0.0.1:8000"
    workers: int = field(default_factory=default_workers)
    worker: bool = True
    timeout: int = 120  # seconds a request may take (a large export) before gunicorn restarts its worker
    worker_id: str = ""  # the task worker's id in django_tasks_db (treem.core.tasks.serve_worker_id)


def web_command(options: ServeOptions, *, python: str = sys.executable) -> list[str]:
    return [
        python, "-m", "gunicorn", "treem.config.wsgi:application",
        "--config", "python:treem.core.gunicorn_conf",
        "--bind", options.bind,
        "--workers", str(options.workers),
        "--timeout", str(options.timeout),
    ]  # fmt: skip


def worker_command(*, python: str = sys.executable, worker_id: str = "") -> list[str]:
    return [python, "-m", "treem.cli", "db_worker", "--no-reload", *(["--worker-id", worker_id] if worker_id else [])]


def build_children(options: ServeOptions, *, python: str = sys.executable) -> list[ChildSpec]:
    children = [ChildSpec("web", web_command(options, python=python), restart=False)]
    if options.worker:
        children.append(ChildSpec("worker", worker_command(python=python, worker_id=options.worker_id), restart=True))
    return children


@dataclass
class _Running:
    spec: ChildSpec
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    delay: float = RESTART_DELAY
    restart_at: float | None = None


class Supervisor:
    """Starts the children, restarts those that may be restarted, stops them all on a signal or when one that may
    not be restarted ends. ``popen``, ``clock`` and ``sleep`` are the real ones except in tests."""

    def __init__(
        self,
        children: Sequence[ChildSpec],
        *,
        stop_timeout: float = 40.0,  # gunicorn gives its requests in flight 30 s (gunicorn_conf)
        poll_interval: float = 0.5,
        popen: Callable[[list[str]], subprocess.Popen[bytes]] = subprocess.Popen,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        on_exit: Callable[[ChildSpec], None] | None = None,  # a child that is restarted ended: before the restart
    ) -> None:
        self.children = [_Running(spec) for spec in children]
        self.stop_timeout = stop_timeout
        self.poll_interval = poll_interval
        self.popen = popen
        self.clock = clock
        self.sleep = sleep
        self.on_exit = on_exit
        self.stopping = False
        self.restarts: dict[str, int] = {spec.name: 0 for spec in children}

    def request_stop(self, signum: int = signal.SIGTERM, frame: FrameType | None = None) -> None:
        if not self.stopping:
            logger.warning("treem serve: %s received, stopping", signal.Signals(signum).name)
        self.stopping = True

    def install_signal_handlers(self) -> None:
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, self.request_stop)

    def _start(self, child: _Running) -> None:
        child.process = self.popen(child.spec.argv)
        child.started_at = self.clock()
        child.restart_at = None
        logger.info("treem serve: %s started (pid %s)", child.spec.name, child.process.pid)

    def step(self) -> int | None:
        """One pass over the children; the exit status when `treem serve` must end, else None."""
        now = self.clock()
        for child in self.children:
            if child.process is None:
                if child.restart_at is not None and now >= child.restart_at and not self.stopping:
                    self._start(child)
                    self.restarts[child.spec.name] += 1
                continue
            code = child.process.poll()
            if code is None:
                continue
            child.process = None
            if not child.spec.restart:
                logger.error("treem serve: %s ended with status %s; stopping", child.spec.name, code)
                self.stop()
                return code or 1
            if self.on_exit is not None:
                self.on_exit(child.spec)
            if now - child.started_at >= STABLE_AFTER:
                child.delay = RESTART_DELAY
            logger.error(
                "treem serve: %s ended with status %s; restarting in %.0f s", child.spec.name, code, child.delay
            )
            child.restart_at = now + child.delay
            child.delay = min(child.delay * 2, MAX_RESTART_DELAY)
        return None

    def run(self) -> int:
        for child in self.children:
            self._start(child)
        while not self.stopping:
            code = self.step()
            if code is not None:
                return code
            self.sleep(self.poll_interval)
        self.stop()
        return 0

    def stop(self) -> None:
        running = [c.process for c in self.children if c.process is not None and c.process.poll() is None]
        for process in running:
            process.send_signal(signal.SIGTERM)
        deadline = self.clock() + self.stop_timeout
        for process in running:
            try:
                process.wait(timeout=max(0.0, deadline - self.clock()))
            except subprocess.TimeoutExpired:
                logger.error("treem serve: pid %s did not stop in %.0f s; killed", process.pid, self.stop_timeout)
                process.kill()
                process.wait()
        for child in self.children:
            child.process = None
