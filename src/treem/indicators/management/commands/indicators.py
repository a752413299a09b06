"""`treem indicators compute --period P [--unit CODE]`, `treem indicators refresh --period P`,
`treem indicators export --period P --unit CODE --format csv|xlsx|dhis2|adx OUT [--suppress]`,
`treem indicators load [--update]`, `treem indicators reaggregate --period P [--unit CODE] [--former CODE]`."""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from treem.core.outfile import replaced_atomically
from treem.core.periods import Period, PeriodError
from treem.units.commands import unit_by_code
from treem.units.models import Level, Structure, Unit

from ...definitions import load_local_targets, sync
from ...exports import EmptyExport, write_adx, write_csv, write_dhis2, write_xlsx
from ...reform import ReformError, reaggregate
from ...services import compute, refresh

FORMATS = ("csv", "xlsx", "dhis2", "adx")
BINARY = {"xlsx", "adx"}
UNITS = {"csv": "rows", "xlsx": "indicator sheets", "dhis2": "data values", "adx": "data values"}


def find_unit(code: str | None, structure: str | None = None) -> Unit:
    """The unit with this official code (current structure first), or the nation."""
    if code is None:
        return Unit.objects.get(structure=structure or Structure.CURRENT, level=Level.NATION)
    return unit_by_code(code, structure)


def parse_period(text: str) -> Period:
    try:
        return Period.parse(text)
    except PeriodError as exc:
        raise CommandError(str(exc)) from exc


class Command(BaseCommand):
    help = "Indicators: compute them for a period, export them, load the shipped set."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        c = sub.add_parser("compute", help="Compute every active computed indicator for a unit and everything below.")
        c.add_argument("--period", required=True, help="2025, 2025S1 or 2025S2 (also 2025Q3, 2025-05)")
        c.add_argument("--unit", help="Official unit code (default: the nation)")
        c.add_argument("--structure", choices=[s.value for s in Structure])
        r = sub.add_parser("refresh", help="Recompute only the communes whose data changed since the last run.")
        r.add_argument("--period", required=True)
        e = sub.add_parser("export", help="Write the stored values of a unit's subtree.")
        e.add_argument("--period", required=True)
        e.add_argument("--unit", required=True)
        e.add_argument("--structure", choices=[s.value for s in Structure])
        e.add_argument("--format", choices=FORMATS, required=True)
        e.add_argument("--suppress", action="store_true", help="Hide small cells (<5) as published tables do.")
        e.add_argument("out", help="Output file, or - for standard output")
        ra = sub.add_parser(
            "reaggregate", help="Carry a period's figures of the former units onto the current ones (before 07/2025)."
        )
        ra.add_argument("--period", required=True, help="A period that ends before 1 July 2025, e.g. 2024")
        ra.add_argument("--unit", help="Official code of the current unit (default: the nation)")
        ra.add_argument("--former", help="Official code of the former unit to carry from (default: the former nation)")
        ld = sub.add_parser("load", help="Load the shipped indicator set and the local targets of loaded units.")
        ld.add_argument("--update", action="store_true", help="Put the shipped values back over local edits.")

    def handle(self, *args: Any, **opts: Any) -> None:
        getattr(self, f"_{opts['action']}")(opts)

    def _compute(self, opts: dict[str, Any]) -> None:
        period = parse_period(opts["period"])
        unit = find_unit(opts.get("unit"), opts.get("structure"))
        result = compute(period, [unit])
        self.stdout.write(
            f"{period} {unit.code} {unit.name}: {result.indicators} indicators, {result.units} units, "
            f"{result.values} values in {result.seconds:.2f} s"
        )

    def _refresh(self, opts: dict[str, Any]) -> None:
        period = parse_period(opts["period"])
        result = refresh(period)
        if result is None:
            self.stdout.write(f"{period}: nothing changed since the last run")
            return
        self.stdout.write(f"{period}: {result.units} units, {result.values} values in {result.seconds:.2f} s")

    def _export(self, opts: dict[str, Any]) -> None:
        period = parse_period(opts["period"])
        unit = find_unit(opts["unit"], opts.get("structure"))
        fmt, suppress = opts["format"], opts["suppress"]
        writers: dict[str, Callable[[Any], int]] = {
            "csv": lambda out: write_csv(out, period, unit, suppress=suppress),
            "xlsx": lambda out: write_xlsx(out, period, unit, suppress=suppress),
            "dhis2": lambda out: write_dhis2(out, period, unit, suppress=suppress),
            "adx": lambda out: write_adx(out, period, unit, suppress=suppress),
        }
        try:
            with self._output(opts["out"], binary=fmt in BINARY) as out:
                n = writers[fmt](out)
        except EmptyExport as exc:  # nothing was left at the destination (an earlier file stays as it was)
            raise CommandError(f"{exc} (run `treem indicators compute` first)") from exc
        self.stderr.write(f"{n} {UNITS[fmt]}")

    def _output(self, name: str, *, binary: bool) -> AbstractContextManager[IO[Any]]:
        if name == "-":
            return nullcontext(sys.stdout.buffer if binary else sys.stdout)
        return replaced_atomically(name, binary=binary)  # complete or not there, whatever fails half-way

    def _reaggregate(self, opts: dict[str, Any]) -> None:
        period = parse_period(opts["period"])
        unit = find_unit(opts.get("unit"), Structure.CURRENT)
        former = find_unit(opts.get("former"), Structure.FORMER)
        try:
            result = reaggregate(period, former, unit)
        except ReformError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{period} {unit.code} {unit.name}: {result.indicators} indicators, {result.units} units, "
            f"{result.values} values from {former.name}"
        )
        if result.kept:
            self.stdout.write(f"kept (the current units hold them): {', '.join(result.kept)}")
        for split in result.splits:
            parts = ", ".join(f"{u.name} {float(w):.0%}" for u, w in split.shares)
            self.stdout.write(f"apportioned: {split.former.name} -> {parts}")

    def _load(self, opts: dict[str, Any]) -> None:
        counts = sync(update=opts["update"])
        local = load_local_targets(update=opts["update"])
        self.stdout.write(
            f"{counts['indicators']} indicators, {counts['targets']} national targets, {local} local targets"
        )
