"""A real `treem serve` whose database goes away and comes back: while it is away a page and a form answer the 503
page (in Vietnamese, no traceback) and /healthz answers 503; once it is back, everything committed before is there.

The SQLite leg moves the database's directory away (the file can no longer be opened) and back; the PostgreSQL leg
puts a TCP relay between the server and PostgreSQL and cuts it (connection refused) and restores it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from treem.core.tests.faults import (
    COMMUNE_OFFICER,
    HOUSEHOLD,
    SESSION_OF,
    Database,
    Harness,
    Proxy,
    Server,
    fault_database,
)
from treem.registry.models import Child, Household

__all__ = ["fault_database"]

SETUP = (
    SESSION_OF
    + COMMUNE_OFFICER
    + HOUSEHOLD
    + """
child = registry.child_register(
    actor=officer, household=household,
    data=registry.ChildInput(full_name="Sùng Thị Sua", sex="F", date_of_birth=dt.date(2013, 5, 2), ethnicity="Mông"),
)
OUT = {"household": household.pk, "child": child.pk, "session": session_of(officer)}
"""
)
HOUSEHOLDS = f"SELECT id, head_name, code FROM {Household._meta.db_table} ORDER BY id"  # noqa: S608
CHILDREN = f"SELECT id, full_name FROM {Child._meta.db_table} ORDER BY id"  # noqa: S608
VI = "Không kết nối được với cơ sở dữ liệu"


def rows(database: Database) -> tuple[object, ...]:
    return database.query(HOUSEHOLDS), database.query(CHILDREN)


def outage(database: Database, harness: Harness, tmp_path: Path) -> tuple[Callable[[], None], Callable[[], None]]:
    """How to take the database away from the server and give it back."""
    if database.url.startswith("sqlite"):
        here, away = tmp_path / "db", tmp_path / "db-away"
        return (lambda: here.rename(away)), (lambda: away.rename(here))
    parts = urlsplit(database.url)
    proxy = Proxy(parts.hostname or "127.0.0.1", parts.port or 5432)
    netloc = parts.netloc.rsplit("@", 1)[0] + f"@127.0.0.1:{proxy.port}"
    harness.env["TREEM_DATABASE_URL"] = urlunsplit(parts._replace(netloc=netloc))
    return proxy.stop, proxy.start


def test_the_database_away_gives_the_503_page_and_loses_nothing(fault_database: Database, tmp_path: Path) -> None:
    harness = Harness(fault_database, tmp_path)
    made = harness.python(SETUP)
    session, household = made["session"], made["household"]
    committed = rows(fault_database)
    cut, restore = outage(fault_database, harness, tmp_path)
    with Server(harness) as server:
        page = f"/registry/children/{made['child']}/"
        assert server.get(page, session)[0] == 200
        cut()
        try:
            shown = server.get(page, session)
            sent = server.post(f"/registry/households/{household}/edit/", {"head_name": "Lò Văn Mới"}, session)
            health = server.get("/healthz")
        finally:
            restore()
        for status, body in (shown, sent):
            assert status == 503, body[-2000:]
            assert VI in body and "chưa được lưu" in body and "Traceback" not in body
        assert health[0] == 503 and json.loads(health[1])["database"] == "unavailable"
        assert server.get(page, session)[0] == 200  # back: the same server answers again
        assert server.get("/healthz")[0] == 200
    assert "Service Unavailable" in harness.log("server.log")  # logged
    assert rows(fault_database) == committed
