"""Connection settings the pages' speed depends on."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.mark.django_db
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="a PostgreSQL setting")
def test_pages_run_without_parallel_workers() -> None:
    """Parallel workers multiplied a page's CPU on a busy server (a province search's count: 1.7 s p95 for a 74 ms
    median at 5,000,000 children); `TREEM_PG_PARALLEL_WORKERS` (default 0) sets them for the connection."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"
