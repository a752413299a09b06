"""`treem demo seed`: demo users, units and registry households and children (synthetic data only)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from treem.demo.services import DEFAULT_CHILDREN, demo_seed


class Command(BaseCommand):
    help = (
        "Demo data: `seed` creates demo users for every role, the seed documents' units with villages, and synthetic "
        "households and children."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        seed = sub.add_parser("seed", help="Create or refresh the demo data (safe to run again).")
        seed.add_argument(
            "--children",
            type=int,
            default=DEFAULT_CHILDREN,
            metavar="N",
            help=f"Synthetic children in the demo communes (default {DEFAULT_CHILDREN}); only missing ones are added.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = demo_seed(children=options["children"])
        self.stdout.write(f"Demo units: {result.communes} communes, {result.villages_created} new villages.")
        r = result.registry
        if r.children:
            self.stdout.write(
                f"Demo registry: {r.children} new children in {r.households} households ({r.adults} adults), "
                f"{r.special} in special circumstances, {r.poor} poor households; {r.existing + r.children} in all."
            )
        else:
            self.stdout.write(f"Demo registry: {r.existing} children already, nothing added.")
        c = result.cases
        if c.created:
            self.stdout.write(
                f"Demo cases: {c.created} new cases in Khun Há ({', '.join(c.stories)}), {c.notices} clock notices; "
                f"{c.existing + c.created} in all."
            )
        else:
            self.stdout.write(f"Demo cases: {c.existing} cases already, nothing added.")
        if c.skipped:
            self.stdout.write(f"Demo cases: {c.skipped} skipped (no child of the right age in Khun Há's registry).")
        d = result.duplicates
        if d.entered:
            self.stdout.write(
                f"Demo duplicates: {d.entered} children entered twice in Khun Há, {d.pending} pairs to review."
            )
        i = result.imports
        if i.created:
            counts = ", ".join(f"{n} {status}" for status, n in sorted((i.counts or {}).items()))
            self.stdout.write(
                f"Demo import: a checked workbook waits for its commit in Khun Há ({i.rows} rows: {counts})."
            )
        f = result.indicators
        self.stdout.write(
            f"Demo indicators: {f.values} values for {', '.join(f.periods)}; {f.entered} figures entered for "
            f"Khun Há; {f.local_targets} local targets."
        )
        self.stdout.write("Demo logins (synthetic accounts):")
        if not settings.TREEM_OTP_REQUIRED:
            self.stdout.write("  (two-factor authentication is off here, TREEM_OTP_REQUIRED=false: the password alone)")
        width = max(len(login.username) for login in result.logins)
        for login in result.logins:
            self.stdout.write(f"  {login.username:<{width}}  {login.password}  {login.role} — {login.unit}")
