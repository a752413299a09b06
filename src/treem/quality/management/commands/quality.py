"""`treem quality snapshot [--month YYYY-MM] [--unit CODE] [--enqueue]`: store each commune's data-quality figures
for a month (default the running month), for the trend; cron runs it monthly (on the last day, or on the 1st with
the month that ended)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from treem.core.dates import today_vn
from treem.units.models import Structure, Unit

from ...services import snapshot_take
from ...tasks import take_snapshot


def _month(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        year, month = text.strip().split("-")
        return dt.date(int(year), int(month), 1)
    except ValueError as exc:
        raise CommandError(f"not a month: {text!r} (YYYY-MM)") from exc


class Command(BaseCommand):
    help = "Data quality per commune: monthly snapshots for the trend."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        s = sub.add_parser("snapshot", help="Store each commune's figures for a month (taken again: replaced).")
        s.add_argument("--month", help="YYYY-MM (default: the running month)")
        s.add_argument("--unit", help="Official code of a province or commune (default: every commune)")
        s.add_argument("--enqueue", action="store_true", help="Leave it to the task worker (treem db_worker)")

    def handle(self, *args: Any, **opts: Any) -> None:
        month = _month(opts["month"]) or today_vn().replace(day=1)
        root = None
        if opts.get("unit"):
            root = Unit.objects.filter(code=opts["unit"], structure=Structure.CURRENT).first()
            if root is None:
                raise CommandError(f"no unit with code {opts['unit']!r} (see `treem units search`)")
        if opts["enqueue"]:
            take_snapshot.enqueue(month.isoformat(), root.pk if root else None)
            self.stdout.write(f"{month:%Y-%m}: queued")
            return
        n = snapshot_take(month=month, root=root)
        self.stdout.write(f"{month:%Y-%m}: {n} communes")
