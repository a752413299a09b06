"""`treem backup` / `treem restore`: a round trip restores every table's rows and the uploaded files exactly, with and
without encryption, on the database the suite runs on (SQLite, and PostgreSQL in the PostgreSQL leg); a wrong
passphrase, a dump of the other database vendor and a database holding data without --yes change nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from treem.core import backup
from treem.core.encryption import MAGIC
from treem.registry import services
from treem.registry.models import Child

PASSPHRASE = "đúng-mật-khẩu-sao-lưu-2026"


def table_snapshot() -> dict[str, tuple[int, str]]:
    """Every model table: its row count and a hash of its rows in a fixed order."""
    snapshot = {}
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        for table in backup.model_tables():
            if table not in existing:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows = sorted(repr(tuple(row)) for row in cursor.fetchall())
            snapshot[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return snapshot


def media_snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:  # noqa: ANN001
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "imports" / "2026").mkdir(parents=True)
    (settings.MEDIA_ROOT / "imports" / "2026" / "hộ-gia-đình.xlsx").write_bytes(
        b"PK\x03\x04 synthetic workbook \x00\xff"
    )
    return settings.MEDIA_ROOT


@pytest.fixture
def seeded(tree, officer, media):  # noqa: ANN001, ANN201
    household = services.household_create(
        actor=officer, commune=tree.commune, village=tree.village, head_name="Sùng A Páo", code="HH-001"
    )
    for name, born in (("Sùng Thị Sua", dt.date(2013, 5, 2)), ("Sùng A Dính", dt.date(2016, 8, 30))):
        services.child_register(
            actor=officer, household=household,
            data=services.ChildInput(full_name=name, sex="F", date_of_birth=born, ethnicity="Mông"),
            guardians=[services.GuardianInput("Sùng A Páo", "father")],
        )  # fmt: skip
    return household


def change_everything(tree, officer, media: Path) -> None:  # noqa: ANN001
    """After the backup: a row changed, rows added, an upload removed and another added."""
    Child.objects.filter(full_name="Sùng Thị Sua").update(full_name="Sùng Thị Sua (sửa)")
    household = services.household_create(actor=officer, commune=tree.commune, head_name="Lò Văn Tâm")
    services.child_register(
        actor=officer, household=household,
        data=services.ChildInput(full_name="Lò Thị Mai", sex="F", date_of_birth=dt.date(2018, 1, 9)),
    )  # fmt: skip
    (media / "imports" / "2026" / "hộ-gia-đình.xlsx").unlink()
    (media / "later.csv").write_text("a,b\n")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("encrypt", [False, True], ids=["plain", "encrypted"])
def test_round_trip_restores_every_table_and_the_uploads(
    encrypt: bool, seeded, tree, officer, media: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # noqa: ANN001
    monkeypatch.setenv("TREEM_BACKUP_PASSPHRASE", PASSPHRASE)
    before, media_before = table_snapshot(), media_snapshot(media)
    assert before[Child._meta.db_table][0] == 2
    out = tmp_path / "backups" / "treem.tar.gz"
    call_command("backup", str(out), *(["--encrypt"] if encrypt else []), stdout=io.StringIO())
    assert out.stat().st_mode & 0o777 == 0o600
    assert out.read_bytes().startswith(MAGIC) is encrypt
    if not encrypt:
        with tarfile.open(out) as archive:
            manifest = json.load(archive.extractfile("manifest.json"))  # type: ignore[arg-type]
            names = archive.getnames()
        assert manifest["database_vendor"] == connection.vendor and manifest["format"] == "treem-backup"
        assert manifest["tables"][Child._meta.db_table] == 2 and manifest["media_files"] == 1
        assert {t: n for t, (n, _h) in before.items()} == manifest["tables"]
        assert "media/imports/2026/hộ-gia-đình.xlsx" in names and backup.DUMP_NAMES[connection.vendor] in names

    change_everything(tree, officer, media)
    assert table_snapshot() != before

    stdout = io.StringIO()
    call_command("restore", str(out), "--yes", stdout=stdout)
    assert table_snapshot() == before
    assert media_snapshot(media) == media_before
    assert "Restored the backup" in stdout.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_wrong_passphrase_is_refused_and_changes_nothing(
    seeded, tree, officer, media: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # noqa: ANN001
    out = tmp_path / "treem.tar.gz"
    backup.backup_create(out=out, passphrase=PASSPHRASE)
    change_everything(tree, officer, media)
    changed, media_changed = table_snapshot(), media_snapshot(media)
    monkeypatch.setenv("TREEM_BACKUP_PASSPHRASE", "sai-mật-khẩu-hoàn-toàn")
    with pytest.raises(CommandError, match="The passphrase is wrong"):
        call_command("restore", str(out), "--yes")
    assert table_snapshot() == changed and media_snapshot(media) == media_changed
    # a damaged file: one byte changed in the middle
    data = bytearray(out.read_bytes())
    data[len(data) // 2] ^= 0x01
    out.write_bytes(bytes(data))
    with pytest.raises(backup.BackupError, match="wrong|damaged"):
        backup.backup_restore(source=out, passphrase=PASSPHRASE, replace=True)
    assert table_snapshot() == changed


@pytest.mark.django_db(transaction=True)
def test_a_database_with_data_is_replaced_only_with_yes(seeded, tree, officer, media: Path, tmp_path: Path) -> None:  # noqa: ANN001
    out = tmp_path / "treem.tar.gz"
    backup.backup_create(out=out)
    change_everything(tree, officer, media)
    changed = table_snapshot()
    with pytest.raises(CommandError, match="holds data .* --yes"):
        call_command("restore", str(out))
    assert table_snapshot() == changed


@pytest.mark.django_db(transaction=True)
def test_a_dump_of_the_other_database_vendor_is_refused(seeded, media: Path, tmp_path: Path) -> None:  # noqa: ANN001
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    manifest = {"format": "treem-backup", "format_version": 1, "database_vendor": other, "tables": {}}
    out = tmp_path / "other.tar.gz"
    with tarfile.open(out, "w:gz") as archive:
        for name, data in (("manifest.json", json.dumps(manifest).encode()), (backup.DUMP_NAMES[other], b"dump")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    before = table_snapshot()
    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    with pytest.raises(
        CommandError, match=f"holds a {names[other]} database; this Treem uses {names[connection.vendor]}"
    ):
        call_command("restore", str(out), "--yes")
    assert table_snapshot() == before


def test_not_a_backup_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not a tar at all")
    with pytest.raises(backup.BackupError, match="cannot be read"):
        backup.backup_restore(source=junk)


def test_the_postgresql_password_goes_by_environment_only() -> None:
    class Db:
        settings_dict = {"NAME": "treem", "USER": "treem", "PASSWORD": "s3cret", "HOST": "db", "PORT": 5432,
                         "OPTIONS": {"sslmode": "require"}}  # fmt: skip

    env = backup.pg_environment(Db())  # type: ignore[arg-type]
    assert env["PGPASSWORD"] == "s3cret" and env["PGHOST"] == "db" and env["PGPORT"] == "5432"
    assert env["PGSSLMODE"] == "require" and env["PGDATABASE"] == "treem"


def test_encrypt_needs_a_passphrase_of_twelve_characters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TREEM_BACKUP_PASSPHRASE", "short")
    with pytest.raises(CommandError, match="at least 12 characters"):
        call_command("backup", str(tmp_path / "b.tar.gz"), "--encrypt")
    monkeypatch.delenv("TREEM_BACKUP_PASSPHRASE")
    monkeypatch.setattr("sys.stdin", io.StringIO())  # no terminal to ask at
    with pytest.raises(CommandError, match="No passphrase: set TREEM_BACKUP_PASSPHRASE"):
        call_command("backup", str(tmp_path / "b.tar.gz"), "--encrypt")
    assert not (tmp_path / "b.tar.gz").exists()
