"""`treem serve [--bind HOST:PORT] [--workers N] [--no-worker] [--skip-collectstatic]`."""

from __future__ import annotations

import argparse
import logging
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

from treem.core.management.base import DescribedCommand
from treem.core.serve import (
    ChildSpec,
    ServeOptions,
    Supervisor,
    build_children,
    collectstatic_if_changed,
    default_workers,
)
from treem.core.tasks import recover_tasks, serve_worker_id

logger = logging.getLogger("treem.core.serve")

SERVE_HELP = """\
Run Treem in production: gunicorn with several worker processes serving the pages, the API and the static files
(WhiteNoise), and the task worker (`treem db_worker`: imports, matching, reports) beside it. The task worker is
restarted if it dies; SIGTERM (systemctl stop, docker stop) stops both cleanly. Before starting, the static files are
collected into STATIC_ROOT (`treem collectstatic`) when they changed since the last start. Run `treem migrate` before
the first start and after each upgrade. Settings come from the TREEM_* environment variables
(deploy/treem.env.example)."""


def _bind(value: str) -> str:
    if value.startswith("unix:") and len(value) > len("unix:"):
        return value
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(f"not HOST:PORT or unix:PATH: {value}")
    return value


def _workers(value: str) -> int:
    try:
        workers = int(value)
    except ValueError:
        workers = 0
    if workers < 1:
        raise argparse.ArgumentTypeError(f"not a number of processes (1 or more): {value}")
    return workers


class Command(DescribedCommand):
    description = SERVE_HELP
    help = "Run the production web server (gunicorn, several workers, static files) and the task worker beside it."
    requires_system_checks = []  # the checks run in the web server's processes; `treem check --deploy` before

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind", type=_bind, default="127.0.0.1:8000", metavar="HOST:PORT",
            help="Address to listen on (default 127.0.0.1:8000, behind a reverse proxy; unix:PATH for a socket).",
        )  # fmt: skip
        parser.add_argument(
            "--workers", type=_workers, default=default_workers(), metavar="N",
            help=f"Web server processes (default {default_workers()}: 2 per CPU + 1, at most 12).",
        )  # fmt: skip
        parser.add_argument(
            "--no-worker", action="store_false", dest="worker",
            help="Do not run the task worker here (it runs as its own service: `treem db_worker`).",
        )  # fmt: skip
        parser.add_argument(
            "--skip-collectstatic", action="store_true",
            help="Do not collect the static files first (already done, e.g. when the image was built).",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        serve = ServeOptions(
            bind=options["bind"], workers=options["workers"], worker=options["worker"],
            worker_id=serve_worker_id() if options["worker"] else "",
        )  # fmt: skip
        if not options["skip_collectstatic"] and collectstatic_if_changed():
            self.stderr.write(f"Static files collected into {settings.STATIC_ROOT}.")
        self._warn_pending_migrations()
        if serve.worker:
            self._recover(earlier_serve_of=serve.worker_id)  # left RUNNING by an earlier treem serve of this host

        def worker_ended(spec: ChildSpec) -> None:
            if spec.name == "worker":
                self._recover(worker_ids=[serve.worker_id])

        supervisor = Supervisor(build_children(serve), on_exit=worker_ended)
        supervisor.install_signal_handlers()
        self.stderr.write(
            f"Treem serves on {serve.bind} with {serve.workers} web processes"
            + (" and the task worker." if serve.worker else " (no task worker).")
        )
        code = supervisor.run()
        if code:
            raise CommandError("the web server stopped", returncode=code)

    def _recover(self, **which: Any) -> None:
        """The tasks of a task worker that died, marked failed (treem.core.tasks); never stops `treem serve`."""
        try:
            recovered = recover_tasks(**which)
        except Exception:  # the database away, an app's hook failing: logged, and the service goes on
            logger.exception("treem serve: could not recover the stopped task worker's tasks")
            return
        finally:
            if not connection.in_atomic_block:
                connection.close()  # no connection shared with the child processes
        if recovered:
            self.stderr.write(self.style.WARNING(f"{recovered} tasks of a stopped task worker marked failed."))

    def _warn_pending_migrations(self) -> None:
        try:
            executor = MigrationExecutor(connection)
            pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except DatabaseError as exc:
            self.stderr.write(self.style.WARNING(f"The database does not answer yet ({exc}); starting anyway."))
            return
        finally:
            if not connection.in_atomic_block:
                connection.close()  # no connection shared with the child processes
        if pending:
            self.stderr.write(
                self.style.WARNING(f"{len(pending)} database migrations are not applied: run `treem migrate`.")
            )
