"""The harness of the fault tests: a real Treem server (`treem serve`) or command in a subprocess, against a database
of its own, killed with SIGKILL at a chosen SQL statement.

The database is a throwaway SQLite file in the SQLite leg and a fresh database created on the server (dropped
afterwards) in the PostgreSQL leg; each leg runs its own variant only, as the import's kill tests do.

The fault is injected in the test harness only: the subprocess gets a ``sitecustomize.py`` on its PYTHONPATH that
wraps Django's cursor. Once the test has *armed* it (created the arm file), the first statement whose SQL matches
``TREEM_FAULT_SQL`` runs, and then the process sends itself SIGKILL: inside the open transaction, after its rows
were written, before the commit. Nothing in Treem's own code knows about it.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

SITECUSTOMIZE = '''\
"""Fault injection of the fault tests (treem.core.tests.faults): SIGKILL after a matching SQL statement, once armed."""
import os
import re
import signal

_pattern, _arm = os.environ.get("TREEM_FAULT_SQL"), os.environ.get("TREEM_FAULT_ARM")
if _pattern and _arm:
    from django.db.backends import utils as _utils

    _original = _utils.CursorWrapper._execute

    def _execute(self, sql, params, *ignored):
        result = _original(self, sql, params, *ignored)
        if re.search(_pattern, sql) and os.path.exists(_arm):
            with open(_arm + ".fired", "w") as marker:
                marker.write(sql[:200])
            os.kill(os.getpid(), signal.SIGKILL)
        return result

    _utils.CursorWrapper._execute = _execute
'''
SETTINGS = "treem.config.settings.test"
CSRF = "faulttestcsrfsecret0123456789abc"  # a 32-character CSRF secret: cookie and form field alike
SERVER_DEADLINE = 60  # seconds for `treem serve` to answer /healthz


class Database:
    """The database the subprocess writes to, seen from the test (plain SQL, no Django connection)."""

    def __init__(self, url: str, query: Callable[[str], list[tuple[Any, ...]]], open_writers: Callable[[], bool]):
        self.url, self.query, self.open_writers = url, query, open_writers

    def scalar(self, sql: str) -> Any:
        rows = self.query(sql)
        return rows[0][0] if rows else None

    def count(self, table: str, where: str = "") -> int:
        return self.scalar(f"SELECT count(*) FROM {table}" + (f" WHERE {where}" if where else ""))  # noqa: S608

    def settle(self) -> None:
        """After a kill: PostgreSQL rolls the killed backend's transaction back once it sees the connection gone."""
        for _ in range(100):
            if not self.open_writers():
                break
            time.sleep(0.1)
        else:
            raise AssertionError("the killed process's transaction is still open on the server")
        if self.url.startswith("sqlite"):
            assert self.query("PRAGMA integrity_check") == [("ok",)]


@contextlib.contextmanager
def own_database(
    kind: str,
    tmp_path: Path,
    *,
    prefix: str = "treem_fault",
    sqlite_writers: Callable[[Path], Callable[[], bool]] | None = None,
) -> Iterator[Database]:
    """A database of the test's own for the subprocesses: a SQLite file under `tmp_path` in the SQLite leg, a fresh
    database on the suite's server (dropped afterwards) in the PostgreSQL leg; each leg runs its own kind only.

    `open_writers` tells whether a transaction holds written rows: on PostgreSQL a backend of the database with a
    transaction id; on SQLite what `sqlite_writers(path)` says (default: never)."""
    server = os.environ.get("TREEM_DATABASE_URL", "")
    if kind == "sqlite":
        if server.startswith("postgres"):
            pytest.skip("the SQLite variant runs in the SQLite leg")
        path = tmp_path / "db" / "fault.sqlite3"
        path.parent.mkdir()

        def query(sql: str) -> list[tuple[Any, ...]]:
            with closing(sqlite3.connect(path, timeout=20, isolation_level=None)) as conn:
                return conn.execute(sql).fetchall()

        yield Database(f"sqlite:///{path}", query, sqlite_writers(path) if sqlite_writers else lambda: False)
        return
    if not server.startswith("postgres"):
        pytest.skip("the suite runs on SQLite; the PostgreSQL leg runs under scripts/with-postgres")
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    url = urlunsplit(urlsplit(server)._replace(path=f"/{name}"))
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def pg_query(sql: str) -> list[tuple[Any, ...]]:
        with psycopg.connect(url, autocommit=True) as conn:
            cursor = conn.execute(sql)
            return cursor.fetchall() if cursor.description else []

    def pg_writers() -> bool:
        sql = "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND backend_xid IS NOT NULL"
        with psycopg.connect(server, autocommit=True) as conn:
            return conn.execute(sql, (name,)).fetchone()[0] > 0

    try:
        yield Database(url, pg_query, pg_writers)
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def fault_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    with own_database(request.param, tmp_path) as database:
        yield database


@dataclass
class Harness:
    """The environment of the subprocesses: the database, the fault (armed or not), a log per process."""

    database: Database
    tmp_path: Path
    fault_sql: str = ""
    tasks_in_database: bool = False  # the task worker's database backend instead of the tests' immediate one
    env: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        inject = self.tmp_path / "inject"
        inject.mkdir(exist_ok=True)
        (inject / "sitecustomize.py").write_text(SITECUSTOMIZE)
        settings = SETTINGS
        if self.tasks_in_database:
            (inject / "fault_settings.py").write_text(
                f"from {SETTINGS} import *  # noqa: F403\n"
                'TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}\n'
            )
            settings = "fault_settings"
        self.arm_file = self.tmp_path / "armed"
        self.env = {
            **os.environ,
            "TREEM_DATABASE_URL": self.database.url,
            "DJANGO_SETTINGS_MODULE": settings,
            "TREEM_VAR_DIR": str(self.tmp_path / "var"),
            "TMPDIR": str(self.tmp_path),
            "PYTHONUNBUFFERED": "1",
            "PYTHONPATH": os.pathsep.join([str(inject), *sys.path]),
            "TREEM_FAULT_SQL": self.fault_sql,
            "TREEM_FAULT_ARM": str(self.arm_file),
        }

    def arm(self) -> None:
        self.arm_file.touch()

    def disarm(self) -> None:
        self.arm_file.unlink(missing_ok=True)

    @property
    def fired(self) -> str | None:
        marker = self.arm_file.with_name(self.arm_file.name + ".fired")
        return marker.read_text() if marker.exists() else None

    def python(self, script: str, timeout: int = 180) -> Any:
        """Run `script` (Django set up, migrated first); it leaves its answer as JSON in the variable OUT."""
        code = (
            "import django, json\ndjango.setup()\nfrom django.core.management import call_command\n"
            'call_command("migrate", verbosity=0)\nOUT = None\n' + script + "\nprint('OUT=' + json.dumps(OUT))\n"
        )
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-c", code], env=self.env, cwd=self.tmp_path, capture_output=True, text=True,
            timeout=timeout, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-3000:]
        line = [x for x in done.stdout.splitlines() if x.startswith("OUT=")][-1]
        return json.loads(line.removeprefix("OUT="))

    def popen(self, argv: list[str], log: str) -> subprocess.Popen[bytes]:
        out = (self.tmp_path / log).open("ab")
        try:
            return subprocess.Popen(  # noqa: S603
                [sys.executable, *argv], env=self.env, cwd=self.tmp_path, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        finally:
            out.close()

    def log(self, name: str) -> str:
        path = self.tmp_path / name
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""


def free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`treem serve --no-worker --skip-collectstatic --workers 1` on a free loopback port (with `worker`, the task
    worker beside it)."""

    def __init__(self, harness: Harness, *, worker: bool = False) -> None:
        self.harness = harness
        self.port = free_port()
        argv = [
            "-m",
            "treem.cli",
            "serve",
            "--skip-collectstatic",
            "--workers",
            "1",
            *([] if worker else ["--no-worker"]),
        ]
        self.process = harness.popen([*argv, "--bind", f"127.0.0.1:{self.port}"], "server.log")
        deadline = time.monotonic() + SERVER_DEADLINE
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "the server stopped: " + harness.log("server.log")
            try:
                if self.get("/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise AssertionError("the server did not answer: " + harness.log("server.log"))

    def stop(self) -> None:
        """SIGKILL to the whole server (supervisor, gunicorn master and workers): a crash, not a clean stop."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _request(
        self, method: str, path: str, session: str | None, data: dict[str, str] | None
    ) -> urllib.request.Request:
        headers = {"Cookie": f"csrftoken={CSRF}" + (f"; sessionid={session}" if session else "")}
        body = None
        if data is not None:
            body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": CSRF}).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        return urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", body, headers, method=method)  # noqa: S310

    def get(self, path: str, session: str | None = None) -> tuple[int, str]:
        return self._send(self._request("GET", path, session, None))

    def post(self, path: str, data: dict[str, str], session: str | None = None) -> tuple[int, str]:
        return self._send(self._request("POST", path, session, data))

    def _send(self, request: urllib.request.Request) -> tuple[int, str]:
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=30) as response:
                return response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(errors="replace")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


# The beginning of a setup script (run in the subprocess's database): the units, the roles, a commune officer, and
# (HOUSEHOLD, after it) a household of the officer's village. Tests add what they need after them.
COMMUNE_OFFICER = """
import datetime as dt
from treem.accounts import roles
from treem.accounts.models import Role
from treem.accounts.roles import roles_sync
from treem.accounts.tests.factories import UserFactory
from treem.registry import services as registry
from treem.units.tests.factories import build_tree

tree = build_tree()
roles_sync()
officer = UserFactory(role=Role.objects.get(code=roles.COMMUNE_OFFICER), unit=tree.commune)
"""
HOUSEHOLD = """
household = registry.household_create(
    actor=officer, commune=tree.commune, village=tree.village, head_name="Sùng A Páo", code="HH-001"
)
"""
SESSION_OF = """
def session_of(user):
    from django.test import Client
    from treem.accounts.tests.helpers import login
    client = Client()
    login(client, user)
    return client.cookies["sessionid"].value
"""


class Proxy:
    """A TCP relay from a loopback port to the database server, which the test can cut and restore: the database
    server out of reach (connection refused) and back, with the same address for the application."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = free_port()
        self.sockets: list[socket.socket] = []
        self.listener: socket.socket | None = None
        self.start()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self) -> None:
        """Refuse new connections and drop the open ones."""
        if self.listener is not None:
            with contextlib.suppress(OSError):  # wakes the thread blocked in accept(): close() alone does not
                self.listener.shutdown(socket.SHUT_RDWR)
            self.listener.close()
            self.listener = None
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self.sockets.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return
            if self.listener is not listener:
                client.close()
                return
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)
