"""`treem restore IN [--yes]`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from treem.core.backup import BackupError, backup_restore
from treem.core.encryption import is_encrypted
from treem.core.health import treem_version
from treem.core.management.base import DescribedCommand
from treem.core.management.commands.backup import PASSPHRASE_ENV, read_passphrase

RESTORE_HELP = f"""\
Replace the database and the uploaded files with those of a backup made by `treem backup`. An encrypted backup is
recognised; its passphrase comes from {PASSPHRASE_ENV} or the prompt. Nothing is changed when the passphrase is
wrong, the file is damaged, or the backup holds the other kind of database (SQLite or PostgreSQL) than
TREEM_DATABASE_URL. A database that holds user accounts is replaced only with --yes. Stop the server first
(systemctl stop treem, docker compose stop web), and run `treem migrate` after restoring an older backup."""


class Command(DescribedCommand):
    description = RESTORE_HELP
    help = "Restore the database and the uploaded files from a backup (replaces them)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", type=Path, metavar="IN", help="The backup file written by `treem backup`.")
        parser.add_argument("--yes", action="store_true", help="Replace a database that holds data.")

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["source"]
        if not source.is_file():
            raise CommandError(f"No backup file at {source}.")
        passphrase = read_passphrase(confirm=False) if is_encrypted(source) else None
        try:
            result = backup_restore(source=source, passphrase=passphrase, replace=options["yes"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        made_by = result.manifest.get("treem_version")
        if made_by != treem_version():
            self.stderr.write(
                self.style.WARNING(
                    f"The backup was made by Treem {made_by}; this is Treem {treem_version()}. Run `treem migrate`. "
                    "On PostgreSQL, restore into the version that made the backup, then upgrade (tables added by "
                    "later versions are not dropped by pg_restore)."
                )
            )
        self.stdout.write(
            f"Restored the backup of {result.manifest['created_at']} (Treem {result.manifest['treem_version']}): "
            f"{result.tables} tables, {result.rows} rows, {result.media_files} uploaded files."
        )
