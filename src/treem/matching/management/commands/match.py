"""`treem match file IN.csv --out PAIRS.csv` (no database) and `treem match run [--unit CODE] [--background]`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from treem.matching import engine
from treem.units.models import Structure, Unit


class Command(BaseCommand):
    help = "Find children recorded twice: in a CSV file before import, or in the registry (pairs go to review)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        file = actions.add_parser("file", help="Pairs of likely duplicates in a CSV of canonical fields.")
        file.add_argument("input", type=Path, help="CSV with a record_id column and the canonical field names")
        file.add_argument("--out", type=Path, required=True, help="Where to write id_a,id_b,probability,decision")
        run = actions.add_parser("run", help="Scan the registry and fill the review queue.")
        run.add_argument("--unit", help="Code of a current province or commune (default: the whole registry)")
        run.add_argument("--background", action="store_true", help="Queue the run for the task worker.")

    def handle(self, *args: Any, **options: Any) -> None:
        self.verbosity = options["verbosity"]
        if options["action"] == "file":
            self._file(options["input"], options["out"])
        else:
            self._run(options["unit"], background=options["background"])

    def _echo(self, stage: str, done: int, total: int) -> None:
        self.stderr.write(f"{stage}: {done:,}" + (f" / {total:,}" if total else ""))

    def _file(self, source: Path, out: Path) -> None:
        if not source.is_file():
            raise CommandError(f"Không tìm thấy tệp {source}")
        try:
            result = engine.match_file(source, out, progress=self._echo if self.verbosity > 1 else None)
        except engine.FileFormatError as exc:
            raise CommandError(str(exc)) from exc
        merges = sum(p.decision == engine.MERGE for p in result.pairs)
        self.stdout.write(
            f"{result.records:,} records, {result.candidates:,} pairs compared, {len(result.pairs):,} written to "
            f"{out} ({merges:,} merge, {len(result.pairs) - merges:,} review) in {result.seconds:.1f} s"
        )

    def _run(self, code: str | None, *, background: bool) -> None:
        from treem.matching.models import MatchRun, RunSource
        from treem.matching.runs import execute_run, start_run

        unit = None
        if code:
            unit = Unit.objects.filter(structure=Structure.CURRENT, code=code).first()
            if unit is None:
                raise CommandError(f"Không có đơn vị hành chính hiện hành mã {code!r}")
        if background:
            run = start_run(actor=None, unit=unit, source=RunSource.COMMAND)
            self.stdout.write(f"run #{run.pk} queued: `treem db_worker` carries it out")
            return
        run = MatchRun.objects.create(unit=unit, unit_path=unit.path if unit else "", source=RunSource.COMMAND)
        run = execute_run(run, echo=self._echo if self.verbosity > 1 else None)
        self.stdout.write(
            f"run #{run.pk}: {run.records:,} children, {run.pairs_found:,} possible duplicates, "
            f"{run.new_pairs:,} new to review, {run.auto_merged:,} merged automatically"
        )
