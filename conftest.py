"""Shared fixtures: a small unit tree, the persona trio and more, and Chromium for browser tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"


def pytest_report_header(config: pytest.Config) -> list[str]:
    from django.conf import settings

    db = settings.DATABASES["default"]
    return [f"treem database: {db['ENGINE'].rsplit('.', 1)[-1]} ({db.get('HOST') or db['NAME']})"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker) -> None:  # noqa: ANN001
    """On PostgreSQL, no autovacuum in the test database. Every test rolls back, so a table ends each test full of
    dead rows; autovacuum then records it as N pages holding 0 rows, and the planner multiplies that density (0) by
    the table's size for as long as the session lasts: every later test that fills the table (the official units,
    a seeded registry) is planned as if it held one row, with nested loops over thousands (a query took 16 s, the
    suite three times as long as on SQLite). Without statistics the planner estimates from the table's size on
    disk, as in a fresh database. One VACUUM first resets what autovacuum may have recorded during the migrations
    (no ANALYZE: column statistics of the migrations' few rows would mislead the same way)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = current_schema()")
        for (table,) in cursor.fetchall():
            cursor.execute(f"ALTER TABLE {table} SET (autovacuum_enabled = false)")
        cursor.execute("VACUUM")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium when run as root")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}


os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def tree(db):  # noqa: ANN001, ANN201
    from treem.units.tests.factories import build_tree

    return build_tree()


@pytest.fixture
def roles_loaded(db) -> None:  # noqa: ANN001
    from treem.accounts.roles import roles_sync

    roles_sync()


@pytest.fixture
def make_user(roles_loaded):  # noqa: ANN001, ANN201
    from treem.accounts.models import Role
    from treem.accounts.tests.factories import UserFactory

    def make(role: str, unit, **kwargs):  # noqa: ANN001, ANN003, ANN202
        return UserFactory(role=Role.objects.get(code=role), unit=unit, **kwargs)

    return make


@pytest.fixture
def page(page):  # noqa: ANN001, ANN201
    """Fail fast: a page that does not react within 10 s is broken, not slow."""
    page.set_default_timeout(10_000)
    return page


# --- personas: an officer in the commune, an officer of the sibling commune, a read-only viewer above ---------


@pytest.fixture
def officer(tree, make_user):  # noqa: ANN001, ANN201
    from treem.accounts import roles

    return make_user(roles.COMMUNE_OFFICER, tree.commune)


@pytest.fixture
def sibling_officer(tree, make_user):  # noqa: ANN001, ANN201
    from treem.accounts import roles

    return make_user(roles.COMMUNE_OFFICER, tree.sibling)


@pytest.fixture
def viewer(tree, make_user):  # noqa: ANN001, ANN201
    """Read-only in scope: the province specialist sees the commune's registry but edits nothing."""
    from treem.accounts import roles

    return make_user(roles.PROVINCE_SPECIALIST, tree.province)


@pytest.fixture
def injuries_entered(db) -> None:  # noqa: ANN001
    """The injury figures entered by hand, as shipped before they were computed (the example of entered figures)."""
    from treem.indicators.tests.helpers import enter_injuries_by_hand

    enter_injuries_by_hand()
