"""A `treem import` killed with SIGKILL in the middle of its commit leaves nothing of the file in the database.

The import runs in a subprocess against a database of its own, of the kind the suite runs on: a throwaway SQLite
file in the SQLite leg, a fresh database created on the server (and dropped afterwards) in the PostgreSQL leg. Each
leg runs the variant of its own database only: the SQLite variant does not depend on the suite's database, so in the
PostgreSQL leg it would repeat the SQLite leg's run (about a minute, two with test_kill_recover). The test waits
until the commit has written rows inside its transaction, kills the process, and checks the database.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from treem.core.tests import faults
from treem.imports.models import ImportJob
from treem.registry.models import Child, Circumstance, Guardianship, Household, Person
from treem.units.models import Unit

ROWS = 30_000
COMMIT_DEADLINE = 120  # seconds for validation to finish and the commit to start writing
SETUP = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from treem.units.models import Level
from treem.units.services import village_add
from treem.units.tests.factories import make_unit
nation = make_unit(None, Level.NATION, "VN", "Việt Nam", "Quốc gia")
province = make_unit(nation, Level.PROVINCE, "12", "Tỉnh Lai Châu", "Tỉnh")
commune = make_unit(province, Level.COMMUNE, "03430", "Xã Khun Há", "Xã")
village_add(commune=commune, name="Hon", unit_type="Bản")
village_add(commune=commune, name="Lầm", unit_type="Bản")
"""
TABLES = [m._meta.db_table for m in (Child, Child.history.model, Household, Person, Guardianship, Circumstance)]
FAMILY = ["Sùng", "Vàng", "Giàng", "Lò", "Lý", "Thào", "Hầu", "Mùa"]
GIVEN = ["Sua", "Páo", "Mỷ", "Chứ", "Dính", "Sếnh", "Pàng", "Lử"]


def write_file(path: Path) -> Path:
    lines = ["Họ và tên,Ngày sinh,Giới tính,Dân tộc,Thôn,Mã hộ,Họ tên cha,Hoàn cảnh đặc biệt"]
    for i in range(ROWS):
        name = f"{FAMILY[i % 8]} {'Thị' if i % 2 else 'A'} {GIVEN[i // 8 % 8]} {_letters(i)}"
        village = ("Bản Hon", "Bản Lầm", "Bản Mới")[i % 3]
        lines.append(
            f"{name},{1 + i % 28:02d}/{1 + i % 12:02d}/{2010 + i % 15},{'Nữ' if i % 2 else 'Nam'},Mông,{village},"
            f"KH-{i // 3},{FAMILY[i % 8]} A {GIVEN[i % 8]},{'a' if i % 10 == 0 else ''}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _letters(i: int) -> str:
    """Distinct name endings, so no row is a duplicate of another: 0 → "Ba", 1 → "Bb"…"""
    out = ""
    for _ in range(3):
        i, r = divmod(i, 26)
        out += chr(ord("a") + r)
    return "B" + out


class Database(faults.Database):
    """The database the import writes to, seen from the test."""

    def writing(self) -> bool:
        """The commit has written rows inside its transaction."""
        return self.open_writers()

    def job_status(self) -> str | None:
        return self.scalar(f"SELECT status FROM {ImportJob._meta.db_table}")  # noqa: S608


def _wal_growth(path: Path) -> Callable[[], bool]:
    """On SQLite the commit's pages spill into the WAL before the transaction ends."""
    wal = path.with_name(path.name + "-wal")
    baseline: list[int] = []

    def writing() -> bool:
        size = wal.stat().st_size if wal.exists() else 0
        baseline.append(baseline[0] if baseline else size)
        return size > baseline[0] + (2 << 20)

    return writing


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    with faults.own_database(request.param, tmp_path, prefix="treem_kill", sqlite_writers=_wal_growth) as db:
        yield Database(db.url, db.query, db.open_writers)


def test_kill_during_commit_leaves_nothing(database: Database, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "TREEM_DATABASE_URL": database.url,
        "DJANGO_SETTINGS_MODULE": "treem.config.settings.test",
        "TMPDIR": str(tmp_path),  # the test settings put uploaded files in a temporary directory
        "PYTHONUNBUFFERED": "1",
    }
    subprocess.run([sys.executable, "-c", SETUP], env=env, check=True, cwd=tmp_path, timeout=120)  # noqa: S603
    units = database.count(Unit._meta.db_table)
    source = write_file(tmp_path / "danh-sach.csv")
    log = (tmp_path / "import.log").open("w")
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "treem.cli", "import", str(source), "--unit", "03430"],
        env=env,
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + COMMIT_DEADLINE
        while time.monotonic() < deadline and process.poll() is None:
            if database.job_status() == "committing" and database.writing():
                break
            time.sleep(0.05)
        assert process.poll() is None, "the import ended before it could be killed: " + _log(tmp_path)
        assert database.job_status() == "committing", _log(tmp_path)
        os.kill(process.pid, signal.SIGKILL)
        assert process.wait(timeout=30) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        log.close()
    if database.url.startswith("sqlite"):
        assert database.query("PRAGMA integrity_check") == [("ok",)]
    else:  # the server rolls the killed backend's transaction back once it sees the connection gone
        _wait_for_backends_to_end(database)
    for table in TABLES:
        assert database.count(table) == 0, table
    assert database.count(Unit._meta.db_table) == units  # "Bản Mới" was not kept
    assert database.job_status() == "committing"  # never claims it was saved
    assert "stored:" not in _log(tmp_path)
    # the database is not left locked: a new write transaction starts at once
    database.query(f"UPDATE {ImportJob._meta.db_table} SET status = 'failed'")  # noqa: S608
    assert database.job_status() == "failed"


def _wait_for_backends_to_end(database: Database) -> None:
    for _ in range(100):
        if not database.writing():
            return
        time.sleep(0.1)
    raise AssertionError("the killed import's transaction is still open on the server")


def _log(tmp_path: Path) -> str:
    return (tmp_path / "import.log").read_text(errors="replace")[-2000:]
