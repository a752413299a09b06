"""`treem backup OUT [--encrypt]`."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from treem.core.backup import BackupError, backup_create
from treem.core.management.base import DescribedCommand

PASSPHRASE_ENV = "TREEM_BACKUP_PASSPHRASE"  # noqa: S105 (the variable's name)
MIN_PASSPHRASE = 12

BACKUP_HELP = """\
Write a backup of the database and the uploaded files (TREEM_MEDIA_ROOT) to OUT: a .tar.gz archive with a
manifest (Treem version, database, time, the row count of every table). The server may keep running: SQLite is
copied by its online backup API, PostgreSQL by pg_dump inside one snapshot. OUT is created readable by its owner
only; it holds every record, so keep it as carefully as the database.

--encrypt encrypts the archive (AES-256-GCM, key from the passphrase by scrypt) with the passphrase in
TREEM_BACKUP_PASSPHRASE or, when that is not set, typed at the prompt (twice). Without the passphrase the backup
cannot be restored: keep it apart from the backup."""


def read_passphrase(*, confirm: bool) -> str:
    passphrase = os.environ.get(PASSPHRASE_ENV, "")
    if passphrase:
        return passphrase
    if not sys.stdin.isatty():
        raise CommandError(f"No passphrase: set {PASSPHRASE_ENV} or run the command in a terminal.")
    passphrase = getpass.getpass("Backup passphrase: ")
    if confirm and getpass.getpass("Same passphrase again: ") != passphrase:
        raise CommandError("The two passphrases differ.")
    return passphrase


class Command(DescribedCommand):
    description = BACKUP_HELP
    help = "Back up the database and the uploaded files into one archive, optionally encrypted."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "out", type=Path, metavar="OUT", help="The backup file to write, e.g. treem-2026-11-30.tar.gz"
        )
        parser.add_argument(
            "--encrypt", action="store_true", help=f"Encrypt with a passphrase ({PASSPHRASE_ENV} or the prompt)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        passphrase = None
        if options["encrypt"]:
            passphrase = read_passphrase(confirm=True)
            if len(passphrase) < MIN_PASSPHRASE:
                raise CommandError(f"The passphrase must have at least {MIN_PASSPHRASE} characters.")
        try:
            result = backup_create(out=options["out"], passphrase=passphrase)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        tables = result.manifest["tables"]
        self.stdout.write(
            f"Backup written to {result.path}{' (encrypted)' if result.encrypted else ''}: "
            f"{result.manifest['database_vendor']} database, {len(tables)} tables, {sum(tables.values())} rows, "
            f"{result.manifest['media_files']} uploaded files."
        )
