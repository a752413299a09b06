"""`treem reports status --cycle 2025S1 --unit CODE`, `treem reports remind [--today yyyy-mm-dd]`,
`treem reports open --type six_month --period 2025S1`, `treem reports load [--update]`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from treem.core.periods import Period, PeriodError
from treem.units.commands import unit_by_code
from treem.units.models import Structure

from ...definitions import sync
from ...models import Cycle, ReportType
from ...reminders import remind
from ...selectors import status_lines
from ...services import cycle_code, open_cycle


class Command(BaseCommand):
    help = "Periodic reports: completeness of a cycle, reminders, opening a cycle, loading the report types."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        s = sub.add_parser("status", help="One line per direct sub-unit: code, name, status, submitted at, timeliness.")
        s.add_argument("--cycle", required=True, help="The cycle's code, e.g. 2025S1, 2025, THD2025")
        s.add_argument("--unit", required=True, help="Official code of the unit whose sub-units report to it")
        r = sub.add_parser("remind", help="Send the reminders and missed-deadline notices due today (each once).")
        r.add_argument("--today", help="yyyy-mm-dd (default: today in Vietnam)")
        o = sub.add_parser("open", help="Open a cycle of a report type for a period (deadlines from its rules).")
        o.add_argument("--type", required=True, help="Report type code, e.g. six_month, annual")
        o.add_argument("--period", required=True, help="2025S1, 2025, 2025Q3…")
        o.add_argument("--structure", choices=[s.value for s in Structure], default=Structure.CURRENT)
        ld = sub.add_parser("load", help="Load the shipped report types and deadline rules.")
        ld.add_argument("--update", action="store_true", help="Put the shipped values back over local edits.")

    def handle(self, *args: Any, **opts: Any) -> None:
        getattr(self, f"_{opts['action']}")(opts)

    def _status(self, opts: dict[str, Any]) -> None:
        cycle = Cycle.objects.filter(code=opts["cycle"].strip()).select_related("report_type").first()
        if cycle is None:
            raise CommandError(f"no report cycle {opts['cycle']!r} (open one with `treem reports open`)")
        for line in status_lines(cycle, unit_by_code(opts["unit"])):
            self.stdout.write(line)

    def _remind(self, opts: dict[str, Any]) -> None:
        try:
            today = dt.date.fromisoformat(opts["today"]) if opts.get("today") else None
        except ValueError as exc:
            raise CommandError(f"not a date: {opts['today']!r} (yyyy-mm-dd)") from exc
        sent = remind(today=today)
        emails = sum(len(s.recipients) for s in sent)
        self.stderr.write(f"{len(sent)} notices sent, {emails} e-mails")

    def _open(self, opts: dict[str, Any]) -> None:
        rtype = ReportType.objects.filter(code=opts["type"]).first()
        if rtype is None:
            raise CommandError(f"no report type {opts['type']!r}")
        try:
            period = Period.parse(opts["period"])
        except PeriodError as exc:
            raise CommandError(str(exc)) from exc
        code = cycle_code(rtype, str(period))
        if Cycle.objects.filter(code=code).exists():
            raise CommandError(f"the cycle {code} is already open")
        cycle = open_cycle(report_type=rtype, period=str(period), structure=opts["structure"])
        deadlines = ", ".join(f"{lv} {d}" for lv, d in cycle.deadlines.items())
        self.stdout.write(f"{cycle.code}: {rtype.name_vi} ({deadlines})")

    def _load(self, opts: dict[str, Any]) -> None:
        counts = sync(update=opts["update"])
        self.stdout.write(f"{counts['types']} report types, {counts['deadlines']} deadline rules")
