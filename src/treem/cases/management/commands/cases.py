"""`treem cases notify-overdue`: send the overdue-deadline notices that are due, once each."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from treem.cases.notifications import notify_overdue, notify_unresolved


class Command(BaseCommand):
    help = (
        "Child protection cases: notify-overdue sends the notices of overdue legal time limits, notify-unresolved "
        "those of abuse cases without a legal outcome (for cron)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("notify-overdue", help="Notify supervisors of overdue deadlines, once per deadline.")
        sub.add_parser(
            "notify-unresolved",
            help="Notify the commune and the province of abuse cases without a legal outcome after "
            "TREEM_UNRESOLVED_ABUSE_DAYS days, once per case.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "notify-unresolved":
            found = notify_unresolved()
            self.stdout.write(f"{found.unresolved_cases} unresolved abuse cases; {found.notices_sent} notices sent")
            return
        result = notify_overdue()
        self.stdout.write(f"{result.overdue_cases} overdue cases; {result.notices_sent} notices sent")
