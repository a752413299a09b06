"""`treem import FILE --unit CODE [--dry-run] [--preview OUT.csv] [--errors OUT.xlsx]`."""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO, cast

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from treem.core.dates import format_vn, today_vn
from treem.core.outfile import replaced_atomically
from treem.imports.models import ImportJob
from treem.imports.outputs import write_error_workbook, write_preview_csv
from treem.imports.readers import ReadError
from treem.imports.services import GROUPS_START_ON_IMPORT, import_commit, import_validate, job_create, job_discard
from treem.units.models import Level, Structure, Unit


class Command(BaseCommand):
    help = "Import a workbook of children into one commune: check it, and unless --dry-run, save it atomically."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--unit", required=True, help="Code of the current commune or ward (see `treem units search`)"
        )
        parser.add_argument("--dry-run", action="store_true", help="Check only; store nothing.")
        parser.add_argument("--preview", type=Path, help="Write one CSV line per data row with its status.")
        parser.add_argument("--errors", type=Path, help="Write the rows with their status and messages as xlsx.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}")
        unit = Unit.objects.filter(structure=Structure.CURRENT, level=Level.COMMUNE, code=options["unit"]).first()
        if unit is None:
            raise CommandError(f"Không có xã/phường hiện hành mã {options['unit']!r}")
        try:
            job = job_create(actor=None, unit=unit, path=path, original_name=path.name)
        except (ReadError, ValidationError) as exc:
            raise CommandError(_error_text(exc)) from exc
        # a refused file or a dry run leaves no job, no issues and no copy of the file behind
        try:
            self._check(job, path, options)
        except BaseException:
            job_discard(job)
            raise
        if options["dry_run"]:
            job_discard(job)
            self.stdout.write("dry run: nothing stored")
            return
        job = import_commit(job)
        r = job.result
        self.stdout.write(
            f"stored: {r['children_created']} children created, {r['children_updated']} updated, "
            f"{r['households_created']} households, {r['villages_created']} new villages"
        )
        if any(r.get(k) for k in ("circumstances_created", "circumstances_extended", "circumstances_kept")):
            self.stdout.write(
                f"special circumstances: {r.get('circumstances_created', 0)} recorded, "
                f"{r.get('circumstances_extended', 0)} extended, {r.get('circumstances_kept', 0)} already recorded"
            )
        if any(r.get(k) for k in ("incidents_created", "incidents_kept")):
            self.stdout.write(
                f"injuries: {r.get('incidents_created', 0)} recorded, {r.get('incidents_kept', 0)} already recorded"
            )

    def _check(self, job: ImportJob, path: Path, options: dict[str, Any]) -> None:
        try:
            job = import_validate(job)
        except (ReadError, ValidationError) as exc:
            raise CommandError(_error_text(exc)) from exc
        counts = job.counts
        self.stdout.write(
            f"{path.name}: {job.total_rows} rows — ok {counts.get('ok', 0)}, warning {counts.get('warning', 0)}, "
            f"error {counts.get('error', 0)}, duplicate {counts.get('duplicate', 0)}"
            + (f", footer rows skipped {counts['footer']}" if counts.get("footer") else "")
            + f" (header at row {job.header_row})"
        )
        if counts.get(GROUPS_START_ON_IMPORT):
            self.stdout.write(
                f"{counts[GROUPS_START_ON_IMPORT]} rows give special-circumstance groups without a start date: "
                f"those periods start on the day the file is saved ({format_vn(today_vn())} if saved today)"
            )
        if options["preview"]:
            with replaced_atomically(options["preview"]) as out:
                write_preview_csv(job, out)
            self.stdout.write(f"preview: {options['preview']}")
        if options["errors"]:
            with replaced_atomically(options["errors"], binary=True) as workbook:
                write_error_workbook(job, cast("BinaryIO", workbook))
            self.stdout.write(f"errors: {options['errors']}")


def _error_text(exc: ReadError | ValidationError) -> str:
    if isinstance(exc, ReadError):
        return str(exc.message)
    return str(getattr(exc, "message", None) or "; ".join(exc.messages))
