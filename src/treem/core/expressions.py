"""Database expressions shared by apps."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Func


class Unindexed(Func):
    """A column that SQLite's planner may not use an index for: `+column` (SQLite's documented way to disqualify a
    term from index use; unary `+` changes no value). SQLite keeps no histograms, so with statistics it guesses that
    any range keeps one row in 64 and may take a range's index over the one that serves the page's order. PostgreSQL
    estimates ranges from its histograms and gets the column as it is.

    `Unindexed("date_of_birth")` in an `alias()`, then filter on the alias."""

    output_field: Any

    def __init__(self, field: str, **extra: Any) -> None:
        super().__init__(F(field), **extra)

    def resolve_expression(self, *args: Any, **kwargs: Any) -> Any:
        resolved = super().resolve_expression(*args, **kwargs)
        resolved.output_field = resolved.source_expressions[0].output_field  # compare as the column compares
        return resolved

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        sql, params = compiler.compile(self.source_expressions[0])
        return sql, list(params)

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        sql, params = compiler.compile(self.source_expressions[0])
        return f"+{sql}", list(params)
