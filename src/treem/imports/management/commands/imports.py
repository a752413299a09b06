"""`treem imports purge` (and `treem imports recover`): housekeeping of the import jobs."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from treem.imports.services import imports_purge, retention_days
from treem.imports.tasks import recover_stale

PURGE_HELP = (
    "Delete the uploaded files no import needs any more: a refused file (one that cannot be read) at once, any "
    "other once its import has not been uploaded, checked or saved for TREEM_IMPORT_RETENTION_DAYS days (default "
    "30); never the file of an import being checked or saved. The import and its row issues stay, marked with the "
    "date the file was deleted; files in the imports folder that no import names go after the same period. "
    "Run it daily (cron or a systemd timer)."
)
RECOVER_HELP = (
    "Return the imports whose worker stopped (their lease, TREEM_IMPORT_LEASE_SECONDS, ran out) to a state the "
    "user can act on: a stopped save can be saved again, a stopped check is checked again. The import pages do "
    "this too when they are opened."
)


class Command(BaseCommand):
    help = (
        "Import housekeeping: `purge` deletes expired uploaded files (TREEM_IMPORT_RETENTION_DAYS), `recover` "
        "recovers imports whose worker stopped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("purge", help=PURGE_HELP, description=PURGE_HELP)
        sub.add_parser("recover", help=RECOVER_HELP, description=RECOVER_HELP)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "recover":
            self.stdout.write(f"recovered: {recover_stale()} imports")
            return
        result = imports_purge()
        self.stdout.write(
            f"deleted: {result.files_deleted} files of imports, {result.stray_files_deleted} file"
            f"{'' if result.stray_files_deleted == 1 else 's'} left by no import "
            f"(retention {retention_days()} days)"
        )
