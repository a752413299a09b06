"""`treem staff sync` brings the roster in line with the user accounts (after a bulk change that did not save users
one by one); `treem staff coverage [--unit CODE]` prints one line per group: `unit<TAB>communes<TAB>without
officer<TAB>villages<TAB>without collaborator`, then `total<TAB>…`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from treem.core.dates import today_vn
from treem.units.models import Level, Structure, Unit

from ...selectors import coverage
from ...services import workers_sync_all


class Command(BaseCommand):
    help = "Child protection staff: sync the roster with the user accounts; print the coverage."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("sync", help="Bring the roster in line with the user accounts.")
        c = sub.add_parser("coverage", help="Communes with no officer and villages with no collaborator, per group.")
        c.add_argument("--unit", help="Official code of a current unit (default: the whole country)")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "sync":
            self.stdout.write(f"accounts checked: {workers_sync_all()}")
            return
        units = Unit.objects.filter(structure=Structure.CURRENT)
        unit = units.filter(code=opts["unit"]).first() if opts["unit"] else units.filter(level=Level.NATION).first()
        if unit is None:
            raise CommandError(f"no current unit with code {opts['unit']!r} (see `treem units search`)")
        cover = coverage(unit, day=today_vn())
        rows = [*cover.rows, cover.total] if cover.total is not None else cover.rows
        for r in rows:
            label = "total" if r is cover.total else r.group.name
            line = (label, r.communes, r.communes_without_officer, r.villages, r.villages_without_collaborator)
            self.stdout.write("\t".join(str(x) for x in line))
