"""`treem demo seed`: demo users and units (synthetic data only)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from treem.demo.services import demo_seed


class Command(BaseCommand):
    help = "Demo data: `seed` creates demo users for every role and the seed documents' units with villages."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("seed", help="Create or refresh the demo data (safe to run again).")

    def handle(self, *args: Any, **options: Any) -> None:
        result = demo_seed()
        self.stdout.write(f"Demo units: {result.communes} communes, {result.villages_created} new villages.")
        self.stdout.write("Demo logins (synthetic accounts):")
        width = max(len(login.username) for login in result.logins)
        for login in result.logins:
            self.stdout.write(f"  {login.username:<{width}}  {login.password}  {login.role} — {login.unit}")
