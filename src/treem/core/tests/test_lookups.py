"""path_prefix: the same rows as startswith, and served by an index on SQLite."""

from __future__ import annotations

import pytest
from django.db import connection

from treem.units.models import Level, Unit
from treem.units.tests.factories import make_unit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("prefix", ["C.", "C.12.", "C.1.", "C.12.03430.", "C.75.", "F."])
def test_it_matches_exactly_what_startswith_matches(tree, prefix: str) -> None:  # noqa: ANN001
    make_unit(tree.nation, Level.PROVINCE, "1", "Tỉnh Thử", "Tỉnh")
    make_unit(tree.nation, Level.PROVINCE, "120", "Tỉnh Thử Hai", "Tỉnh")
    expected = set(Unit.objects.filter(path__startswith=prefix).values_list("path", flat=True))
    got = set(Unit.objects.filter(path__path_prefix=prefix).values_list("path", flat=True))
    assert got == expected


def test_it_escapes_like_wildcards(tree) -> None:  # noqa: ANN001
    assert not Unit.objects.filter(path__path_prefix="C.%").exists()
    assert not Unit.objects.filter(path__path_prefix="C._2.").exists()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite query plan")
def test_sqlite_uses_the_index_for_the_prefix(tree) -> None:  # noqa: ANN001
    sql, params = Unit.objects.filter(path__path_prefix="C.12.").values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "INDEX" in plan and "path" in plan
