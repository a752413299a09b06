"""`treem units load | search TEXT | verify --against FILE.csv | correct CODE …`."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from treem.units.models import CorrectionKind, Level, Structure, Unit
from treem.units.selectors import unit_search
from treem.units.services import CorrectionError, unit_correct, units_load
from treem.units.verify import OfficialListError, read_official_list, verify_units

VERIFY_HELP = """\
Compare Treem's units with an official list (CSV, UTF-8, columns code,name,province_code; a province row has
an empty province_code). Only the provinces present in the file are compared, so a province can check its own
part of the list. Prints one line per disagreement, sorted by code, tab-separated:

  KIND<TAB>CODE<TAB>TREEM<TAB>FILE

KIND is one of
  name              the names differ (TREEM and FILE are the two names)
  parent            the province differs (the two province codes)
  missing-in-treem  the code is in the file only (TREEM is -)
  missing-in-file   the code is in Treem only, in a province of the file (FILE is -)

Names are compared after Unicode NFC normalisation and whitespace folding; the type word (Xã, Phường, Đặc khu,
Tỉnh, Thành phố...) is compared without regard to case, the rest of the name exactly.
Exit status: 0 when everything agrees, 1 when there is a disagreement, 2 when the file cannot be read.
A summary line goes to standard error."""

CORRECT_HELP = """\
Record a correction of the official list (new name, new code or new parent) with its effective date and the
document behind it, and apply it at once. The unit keeps its history: figures and exports for a date before
the effective date use the value in force then. `treem units load` keeps applied corrections."""


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {value}") from exc


class Command(BaseCommand):
    help = "Administrative units: load the official structures, search them, verify and correct their codes."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load", help="Load or refresh the current and former structures and the succession map.")
        search = sub.add_parser("search", help="Find units by name, without needing diacritics.")
        search.add_argument("text", nargs="+")
        search.add_argument("--structure", choices=["current", "former"])
        search.add_argument("--limit", type=int, default=0, help="At most this many lines (0: all).")
        verify = sub.add_parser(
            "verify",
            help="Compare the units with an official list; print every disagreement.",
            description=VERIFY_HELP,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        verify.add_argument("--against", required=True, type=Path, metavar="FILE.csv")
        verify.add_argument("--structure", choices=["current", "former"], default="current")
        correct = sub.add_parser(
            "correct",
            help="Record and apply a dated correction (rename, new code, new parent) of one unit.",
            description=CORRECT_HELP,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        correct.add_argument("code", help="The unit's code in force now.")
        what = correct.add_mutually_exclusive_group(required=True)
        what.add_argument("--rename", metavar="NAME", help='The full new name with its type, e.g. "Xã Ba Chẽ".')
        what.add_argument("--recode", metavar="NEWCODE")
        what.add_argument("--parent", metavar="CODE", help="The code of the new parent (same level as the old).")
        correct.add_argument("--effective", required=True, type=_date, metavar="YYYY-MM-DD")
        correct.add_argument("--source", required=True, metavar="DOCUMENT", help='e.g. "QĐ 1234/QĐ-TTg"')
        correct.add_argument("--structure", choices=["current", "former"], default="current")
        correct.add_argument("--by", metavar="USERNAME", help="The Treem user recording it (default: the OS user).")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "load":
            self._load()
        elif action == "verify":
            self._verify(options)
        elif action == "correct":
            self._correct(options)
        else:
            text = " ".join(options["text"])
            for unit in unit_search(text, structure=options["structure"], limit=options["limit"] or None):
                self.stdout.write(f"{unit.code}\t{unit.level}\t{unit.structure}\t{unit.full_path}")

    def _load(self) -> None:
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

    def _verify(self, options: dict[str, Any]) -> None:
        try:
            rows = read_official_list(options["against"])
        except OfficialListError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        found = verify_units(rows, structure=options["structure"])
        for d in found:
            self.stdout.write(d.line())
        provinces = len({r.province_code or r.code for r in rows})
        self.stderr.write(f"verify: {len(rows)} rows, {provinces} provinces, {len(found)} disagreements")
        if found:
            raise CommandError(f"{len(found)} disagreements with {options['against']}", returncode=1)

    def _correct(self, options: dict[str, Any]) -> None:
        structure = Structure(options["structure"])
        unit = Unit.objects.filter(structure=structure, code=options["code"], is_local=False).first()
        if unit is None:
            raise CommandError(f"no {structure.value} unit with code {options['code']}")
        by = None
        by_name = f"{getpass.getuser()} (command line)"
        if options["by"]:
            by = get_user_model().objects.filter(username=options["by"]).first()
            if by is None:
                raise CommandError(f"no user {options['by']}")
            by_name = by.get_username()
        if options["rename"] is not None:
            kind, value = CorrectionKind.RENAME, options["rename"]
        elif options["recode"] is not None:
            kind, value = CorrectionKind.RECODE, options["recode"]
        else:
            kind, value = CorrectionKind.REPARENT, options["parent"]
        try:
            c = unit_correct(
                unit=unit, kind=kind, new_value=value, effective_date=options["effective"],
                source_document=options["source"], by=by, by_name=by_name,
            )  # fmt: skip
        except CorrectionError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{c.kind}\t{c.old_value}\t{c.new_value}\t{c.effective_date:%d/%m/%Y}\t{c.source_document}\t#{c.pk}"
        )
