"""`treem support beneficiaries --programme CODE --unit CODE --on YYYY-MM-DD --out FILE.csv`: the list a
programme's rules give on a date for a unit and below (who lived there that day), as CSV (see `support.exports`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from treem.core.outfile import replaced_atomically
from treem.units.models import Structure, Unit

from ...exports import write_candidates_csv
from ...models import Programme
from ...selectors import eligible


def _unit(code: str) -> Unit:
    unit = Unit.objects.filter(code=code).order_by("structure").first()  # "current" sorts before "former"
    if unit is None or unit.structure != Structure.CURRENT:
        raise CommandError(f"no current unit with code {code!r} (see `treem units search`)")
    return unit


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--on must be a date YYYY-MM-DD, not {text!r}") from exc


class Command(BaseCommand):
    help = "Support programmes: beneficiaries writes the list a programme's rules give on a date."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        b = sub.add_parser("beneficiaries", help="Write the children a programme's rules make eligible, as CSV.")
        b.add_argument("--programme", required=True, help="Programme code, e.g. gift-special")
        b.add_argument("--unit", required=True, help="Official code of the unit (the list covers it and below)")
        b.add_argument("--on", required=True, help="The date, YYYY-MM-DD: who lived there and their situation then")
        b.add_argument("--out", required=True, help="The CSV file to write")

    def handle(self, *args: Any, **opts: Any) -> None:
        programme = Programme.objects.filter(code=opts["programme"]).first()
        if programme is None:
            raise CommandError(f"no programme with code {opts['programme']!r}")
        unit, on = _unit(opts["unit"]), _day(opts["on"])
        try:
            candidates = eligible(programme, unit, on)
        except ValidationError as exc:
            raise CommandError(f"the programme's rules are wrong: {' '.join(exc.messages)}") from exc
        with replaced_atomically(opts["out"]) as out:
            n = write_candidates_csv(out, candidates)
        self.stdout.write(f"{n} children written to {opts['out']}")
