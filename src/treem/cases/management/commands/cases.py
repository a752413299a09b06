"""`treem cases notify-overdue`: send the overdue-deadline notices that are due, once each."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from treem.cases.notifications import notify_overdue


class Command(BaseCommand):
    help = "Child protection cases: notify-overdue sends the notices of overdue legal time limits (for cron)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("notify-overdue", help="Notify supervisors of overdue deadlines, once per deadline.")

    def handle(self, *args: Any, **options: Any) -> None:
        result = notify_overdue()
        self.stdout.write(f"{result.overdue_cases} overdue cases; {result.notices_sent} notices sent")
