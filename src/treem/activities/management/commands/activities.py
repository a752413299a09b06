"""`treem activities summary --unit CODE --year Y` prints one line per activity type,
`type<TAB>count<TAB>participants<TAB>cost_vnd`, then `total<TAB>count<TAB>participants<TAB>cost_vnd`: the activities
of the unit and below it begun in the year (every active type, in its order, zeros included); `treem activities
load [--update]` loads the shipped activity types."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from treem.units.commands import unit_by_code

from ...kinds import types_sync
from ...selectors import in_period, summary_by_type, under


class Command(BaseCommand):
    help = "Activities: counts, participants and cost by type for a unit and year; load the shipped types."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        s = sub.add_parser("summary", help="Print type<TAB>count<TAB>participants<TAB>cost_vnd, then the total.")
        s.add_argument("--unit", required=True, help="Official code of the unit (commune, province…)")
        s.add_argument("--year", required=True, type=int)
        ld = sub.add_parser("load", help="Load the shipped activity types.")
        ld.add_argument("--update", action="store_true", help="Put the shipped values back over local edits.")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "load":
            self.stdout.write(f"activity types created: {types_sync(update=opts['update'])}")
            return
        unit, year = unit_by_code(opts["unit"]), opts["year"]
        if not 1900 < year < 3000:
            raise CommandError(f"not a year: {year}")
        activities = in_period(under([unit.path]), dt.date(year, 1, 1), dt.date(year, 12, 31))
        rows, total = summary_by_type(activities)
        for row in [*rows, total]:
            self.stdout.write(f"{row.code}\t{row.count}\t{row.participants}\t{row.cost}")
