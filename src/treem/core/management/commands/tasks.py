"""`treem tasks recover --worker-id ID [--worker-id ID …]`: the tasks a stopped task worker left RUNNING, failed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from treem.core.tasks import recover_tasks


class Command(BaseCommand):
    help = (
        "Background tasks: recover marks failed the tasks a task worker that is no longer running left RUNNING "
        "(and puts the work they belong to right, e.g. a matching run is marked failed so it can be started again). "
        "`treem serve` does this itself for its own task worker; use it for a worker run on its own "
        "(`treem db_worker --worker-id ID`) once that process has stopped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        recover = sub.add_parser("recover", help="Mark failed the tasks a stopped worker left running.")
        recover.add_argument(
            "--worker-id", action="append", required=True, dest="worker_ids", metavar="ID",
            help="The id of a task worker that is no longer running (repeat for several).",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        recovered = recover_tasks(worker_ids=options["worker_ids"])
        self.stdout.write(f"{recovered} tasks of the stopped worker marked failed")
