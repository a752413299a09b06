"""The cache is one for all the server's processes: the API's rate limit and the published figures' suppression
pattern live in it, so a per-process cache would give each of `treem serve`'s web processes a rate limit of its own
(N times the limit) and compute the same pattern once per process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

SCRIPT = """
import sys, django
django.setup()
from django.core.cache import cache
from django.core.management import call_command
if sys.argv[1] == "set":
    call_command("createcachetable")
    cache.set("treem:test:shared", "from another process", 60)
else:
    print(cache.get("treem:test:shared"))
"""


def _run(step: str, db: Path) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TREEM_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="treem.config.settings.base", TREEM_DATABASE_URL=f"sqlite:///{db}",
        TREEM_SECRET_KEY="x" * 50, TREEM_DEBUG="false", TREEM_ALLOWED_HOSTS="127.0.0.1",
    )  # fmt: skip
    done = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", SCRIPT, step], env=env, capture_output=True, text=True, timeout=120, check=True
    )
    return done.stdout.strip()


def test_a_value_cached_by_one_process_is_seen_by_another(tmp_path: Path) -> None:
    db = tmp_path / "cache.sqlite3"
    _run("set", db)
    assert _run("get", db) == "from another process"


@pytest.mark.django_db
def test_the_migrations_create_the_cache_table() -> None:
    assert "treem_cache" in connection.introspection.table_names()
