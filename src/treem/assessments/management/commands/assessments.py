"""`treem assessments verdict --unit CODE --year Y` prints `total<TAB>threshold<TAB>verdict` (verdict
`recognised|not_recognised|incomplete`) for a commune's assessment of the year; `treem assessments load [--update]`
loads the shipped criteria."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from treem.units.models import Level, Unit

from ...criteria import sync
from ...models import Assessment
from ...scoring import evaluate


def find_commune(code: str) -> Unit:
    """The commune with this official code (current structure first)."""
    unit = Unit.objects.filter(code=code, level=Level.COMMUNE).order_by("structure").first()
    if unit is None:
        raise CommandError(f"no commune with code {code!r} (see `treem units search`)")
    return unit


class Command(BaseCommand):
    help = "Child-friendly commune assessments: a commune's verdict for a year; load the shipped criteria."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        v = sub.add_parser("verdict", help="Print total<TAB>threshold<TAB>verdict of a commune's assessment.")
        v.add_argument("--unit", required=True, help="Official code of the commune")
        v.add_argument("--year", required=True, type=int)
        ld = sub.add_parser("load", help="Load the shipped criteria, items and thresholds.")
        ld.add_argument("--update", action="store_true", help="Put the shipped values back over local edits.")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "load":
            counts = sync(update=opts["update"])
            self.stdout.write(", ".join(f"{k}: {n}" for k, n in counts.items()))
            return
        commune = find_commune(opts["unit"])
        assessment = Assessment.objects.select_related("category").filter(unit=commune, year=opts["year"]).first()
        if assessment is None:
            raise CommandError(f"{commune.code} {commune.name} has no assessment for {opts['year']}")
        result = evaluate(assessment)
        self.stdout.write(f"{result.total}\t{result.threshold}\t{result.verdict.value}")
