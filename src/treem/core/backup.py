"""`treem backup` and `treem restore`: the database and the uploaded files in one archive, optionally encrypted.

The archive is a gzip-compressed tar holding ``manifest.json`` (format, Treem version, database vendor, creation
time, the row count of every table), the database dump and ``media/`` (settings.MEDIA_ROOT).

- SQLite: a consistent copy by SQLite's online backup API while the server keeps running; restored by the same API
  into the live database file (one transaction: the other processes see the old or the new database).
- PostgreSQL: ``pg_dump --format=custom`` inside an exported snapshot (the row counts of the manifest come from the
  same snapshot); restored by ``pg_restore --clean --if-exists --single-transaction``. The client programs come from
  TREEM_PG_BIN_DIR, else /usr/lib/postgresql/<server major>/bin, else the PATH; the password goes to them in the
  PGPASSWORD environment variable, never on a command line (where `ps` shows it).
- Encrypted (treem.core.encryption) when a passphrase is given; restore recognises an encrypted file.

A restore checks everything it can before it changes anything: the passphrase, the archive, the manifest, the
database vendor, and that the caller agreed to replace a database that holds data.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, cast

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from treem.core.encryption import DecryptionError, EncryptingWriter, decrypt_file, is_encrypted
from treem.core.health import treem_version
from treem.core.outfile import replaced_atomically

FORMAT = "treem-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
MEDIA = "media"


class BackupError(Exception):
    """A backup or a restore that cannot be done; the message says why, for the person running it."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: dict[str, Any]
    encrypted: bool


@dataclass(frozen=True)
class RestoreResult:
    manifest: dict[str, Any]
    tables: int
    rows: int
    media_files: int


def model_tables() -> list[str]:
    """The table of every model (many-to-many tables and history tables included), sorted."""
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    return sorted(tables)


def _count_rows(cursor: Any, quote: Any, tables: list[str], existing: set[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        if table in existing:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 (a model's table name, quoted)
            counts[table] = int(cursor.fetchone()[0])
    return counts


# --- PostgreSQL client programs -------------------------------------------------------------------------------------


def pg_program(name: str, *, server_major: int) -> str:
    """pg_dump or pg_restore of the server's major version (or newer): TREEM_PG_BIN_DIR, Debian's
    /usr/lib/postgresql/<major>/bin, then the PATH."""
    configured = os.environ.get("TREEM_PG_BIN_DIR")
    candidates = [Path(configured) / name] if configured else []
    debian = Path("/usr/lib/postgresql")
    if debian.is_dir():
        majors = sorted((int(d.name) for d in debian.iterdir() if d.name.isdigit()), reverse=True)
        preferred = [m for m in majors if m == server_major] + [m for m in majors if m > server_major]
        candidates += [debian / str(m) / "bin" / name for m in preferred]
    on_path = shutil.which(name)
    if on_path:
        candidates.append(Path(on_path))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    raise BackupError(
        f"{name} (PostgreSQL {server_major} client) not found: install postgresql-client-{server_major} "
        "or set TREEM_PG_BIN_DIR to the folder that holds it."
    )


def pg_environment(db: BaseDatabaseWrapper) -> dict[str, str]:
    """libpq's environment variables for the settings' connection: the password never goes on a command line."""
    params = db.settings_dict
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    values = {
        "PGDATABASE": params.get("NAME"),
        "PGUSER": params.get("USER"),
        "PGPASSWORD": params.get("PASSWORD"),
        "PGHOST": params.get("HOST"),
        "PGPORT": str(params.get("PORT") or ""),
    }
    options = params.get("OPTIONS") or {}
    for option, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT"), ("service", "PGSERVICE")):
        if options.get(option):
            values[variable] = str(options[option])
    env.update({k: str(v) for k, v in values.items() if v})
    return env


def _server_major(db: BaseDatabaseWrapper) -> int:
    db.ensure_connection()
    return int(db.pg_version) // 10000  # type: ignore[attr-defined]


def _run(argv: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(argv[0]).name} failed: {result.stderr.strip() or result.returncode}")


# --- Backup ---------------------------------------------------------------------------------------------------------


def _dump_sqlite(target: Path, tables: list[str]) -> dict[str, int]:
    connection.ensure_connection()
    source = connection.connection
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # consistent: SQLite restarts the copy if another connection writes meanwhile
        cursor = copy.cursor()
        existing = {row[0] for row in cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return _count_rows(cursor, connection.ops.quote_name, tables, existing)
    finally:
        copy.close()


def _dump_postgresql(target: Path, tables: list[str]) -> dict[str, int]:
    pg_dump = pg_program("pg_dump", server_major=_server_major(connection))
    with transaction.atomic(), connection.cursor() as cursor:
        # The counts and the dump see the same snapshot of the database.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        existing = set(connection.introspection.table_names(cursor))
        counts = _count_rows(cursor, connection.ops.quote_name, tables, existing)
        argv = [pg_dump, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}", "--file"]
        _run([*argv, str(target)], pg_environment(connection))
    return counts


def _add_media(archive: tarfile.TarFile) -> int:
    media_root = Path(settings.MEDIA_ROOT)
    files = 0
    if media_root.is_dir():
        for path in sorted(media_root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                archive.add(path, arcname=f"{MEDIA}/{path.relative_to(media_root).as_posix()}", recursive=False)
                files += 1
    return files


def backup_create(*, out: Path, passphrase: str | None = None) -> BackupResult:
    """Writes the backup archive to ``out`` (mode 0600: it holds every child's record), encrypted with
    ``passphrase`` when one is given. The server may keep running."""
    vendor = connection.vendor
    if vendor not in DUMP_NAMES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    out = out.resolve()
    if out.is_dir():
        raise BackupError(f"{out} is a folder: give the backup file's name, e.g. {out / 'treem-backup.tar.gz'}")
    out.parent.mkdir(parents=True, exist_ok=True)
    tables = model_tables()
    with tempfile.TemporaryDirectory(prefix=".treem-backup-", dir=out.parent) as tmp:
        dump = Path(tmp) / DUMP_NAMES[vendor]
        counts = _dump_sqlite(dump, tables) if vendor == "sqlite" else _dump_postgresql(dump, tables)
        with replaced_atomically(out, binary=True, mode=0o600) as opened:  # a complete archive or none, synced
            raw = cast("BinaryIO", opened)
            sink: BinaryIO | EncryptingWriter = EncryptingWriter(raw, passphrase) if passphrase else raw
            with tarfile.open(fileobj=sink, mode="w|gz") as archive:  # type: ignore[call-overload]
                archive.add(dump, arcname=dump.name)
                media_files = _add_media(archive)
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "treem_version": treem_version(),
                    "database_vendor": vendor,
                    "database_file": dump.name,
                    "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    "media_files": media_files,
                    "tables": counts,
                }
                data = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mode = len(data), 0o600
                archive.addfile(info, io.BytesIO(data))
            if isinstance(sink, EncryptingWriter):
                sink.close()  # seals the last block; the file itself is closed (and synced) by replaced_atomically
    return BackupResult(path=out, manifest=manifest, encrypted=bool(passphrase))


# --- Restore --------------------------------------------------------------------------------------------------------


@contextmanager
def _opened_archive(source: Path, passphrase: str | None, workdir: Path) -> Iterator[Path]:
    """The plain archive: ``source`` itself, or its decrypted copy in ``workdir``."""
    if not is_encrypted(source):
        yield source
        return
    if not passphrase:
        raise BackupError("This backup is encrypted: give its passphrase (TREEM_BACKUP_PASSPHRASE or the prompt).")
    plain = workdir / "archive.tar.gz"
    try:
        with source.open("rb") as f, plain.open("wb") as out:
            decrypt_file(f, out, passphrase)
    except DecryptionError as exc:
        plain.unlink(missing_ok=True)
        raise BackupError(str(exc)) from exc
    yield plain


def read_manifest(directory: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError("This is not a Treem backup (no readable manifest.json).") from exc
    if manifest.get("format") != FORMAT or manifest.get("database_vendor") not in DUMP_NAMES:
        raise BackupError("This is not a Treem backup (its manifest is not Treem's).")
    if int(manifest.get("format_version", 0)) > FORMAT_VERSION:
        raise BackupError("This backup was made by a newer Treem: upgrade Treem first, then restore.")
    return manifest


def database_user_count() -> int:
    """The user accounts in the current database (0 for a fresh database, or one whose tables do not exist yet)."""
    user_table = get_user_model()._meta.db_table
    with connection.cursor() as cursor:
        if user_table not in connection.introspection.table_names(cursor):
            return 0
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(user_table)}")  # noqa: S608
        return int(cursor.fetchone()[0])


def _restore_sqlite(dump: Path) -> None:
    connection.ensure_connection()
    if connection.in_atomic_block:
        raise BackupError("A restore cannot run inside a transaction.")
    source = sqlite3.connect(dump)
    try:
        source.backup(connection.connection)  # page by page into the live database, as one write transaction
    finally:
        source.close()


def _restore_postgresql(dump: Path) -> None:
    pg_restore = pg_program("pg_restore", server_major=_server_major(connection))
    connection.close()  # no idle session of ours holds a lock on a table pg_restore drops
    argv = [pg_restore, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction"]
    _run(
        [*argv, "--exit-on-error", f"--dbname={connection.settings_dict['NAME']}", str(dump)],
        pg_environment(connection),
    )


def _restore_media(extracted: Path) -> int:
    """Replaces MEDIA_ROOT's content (not the folder itself: it may be a mount point) with the archive's."""
    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    for child in media_root.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    files = 0
    if extracted.is_dir():
        shutil.copytree(extracted, media_root, dirs_exist_ok=True)
        files = sum(1 for p in media_root.rglob("*") if p.is_file())
    return files


def backup_restore(*, source: Path, passphrase: str | None = None, replace: bool = False) -> RestoreResult:
    """Replaces the database and the media files with the backup's. Refuses (BackupError, nothing changed) a wrong
    passphrase, a damaged archive, a dump of the other database vendor, and a database with user accounts unless
    ``replace``. Afterwards every table's row count is compared with the manifest."""
    if not source.is_file():
        raise BackupError(f"No backup file at {source}.")
    vendor = connection.vendor
    workroot = Path(settings.VAR_DIR) if Path(settings.VAR_DIR).is_dir() else None
    with tempfile.TemporaryDirectory(prefix=".treem-restore-", dir=workroot) as tmp:
        work = Path(tmp)
        extracted = work / "extracted"
        with _opened_archive(source, passphrase, work) as plain:
            try:
                with tarfile.open(plain, mode="r:*") as archive:
                    archive.extractall(extracted, filter="data")  # no absolute paths, no "..", no devices
            except (tarfile.TarError, EOFError, OSError) as exc:
                raise BackupError(f"The backup cannot be read: {exc}") from exc
        manifest = read_manifest(extracted)
        if manifest["database_vendor"] != vendor:
            raise BackupError(
                f"This backup holds a {VENDOR_NAMES[manifest['database_vendor']]} database; this Treem uses "
                f"{VENDOR_NAMES.get(vendor, vendor)}. Restore it into a Treem configured with the same database "
                "(TREEM_DATABASE_URL)."
            )
        dump = extracted / DUMP_NAMES[vendor]
        if not dump.is_file():
            raise BackupError(f"The backup has no {dump.name}: it is incomplete.")
        users = database_user_count()
        if users and not replace:
            raise BackupError(
                f"The database holds data ({users} user accounts): the restore replaces all of it with the backup's. "
                "Run again with --yes to go ahead."
            )
        if vendor == "sqlite":
            _restore_sqlite(dump)
        else:
            _restore_postgresql(dump)
        media_files = _restore_media(extracted / MEDIA)
    expected: dict[str, int] = manifest["tables"]
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        counts = _count_rows(cursor, connection.ops.quote_name, sorted(expected), existing)
    differing = sorted(t for t, n in expected.items() if counts.get(t) != n)
    if differing:
        raise BackupError(f"Restored, but the row counts differ from the backup's in: {', '.join(differing)}")
    return RestoreResult(manifest=manifest, tables=len(counts), rows=sum(counts.values()), media_files=media_files)
