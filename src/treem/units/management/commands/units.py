"""`treem units load` and `treem units search TEXT`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from treem.units.models import Level, Unit
from treem.units.selectors import unit_search
from treem.units.services import units_load


class Command(BaseCommand):
    help = "Administrative units: load the official structures, search them."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load", help="Load or refresh the current and former structures and the succession map.")
        search = sub.add_parser("search", help="Find units by name, without needing diacritics.")
        search.add_argument("text", nargs="+")
        search.add_argument("--structure", choices=["current", "former"])
        search.add_argument("--limit", type=int, default=0, help="At most this many lines (0: all).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "load":
            result = units_load()
            counts = {
                level: Unit.objects.filter(structure=s, level=level).count()
                for s, level in (("current", Level.PROVINCE), ("current", Level.COMMUNE))
            }
            self.stdout.write(
                f"units: {result.created} created, {result.updated} updated, {result.unchanged} unchanged; "
                f"successions: {result.successions_created} created, {result.successions_removed} removed; "
                f"current: {counts[Level.PROVINCE]} provinces, {counts[Level.COMMUNE]} communes"
            )
            return
        text = " ".join(options["text"])
        for unit in unit_search(text, structure=options["structure"], limit=options["limit"] or None):
            self.stdout.write(f"{unit.code}\t{unit.level}\t{unit.structure}\t{unit.full_path}")
