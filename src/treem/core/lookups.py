"""`path_prefix`: "this unit and below" as an index-friendly prefix filter on both databases.

Django's `startswith` is a LIKE, which SQLite cannot serve from an ordinary (BINARY) index because its LIKE is
case-insensitive. Materialised paths are ASCII, so on SQLite the prefix becomes a half-open range
`path >= 'C.12.' AND path < 'C.12/'`, which any B-tree index serves. PostgreSQL keeps `LIKE 'C.12.%'`, served by
the `varchar_pattern_ops` index Django adds to indexed CharFields.
"""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, Lookup


@CharField.register_lookup
class PathPrefix(Lookup):
    lookup_name = "path_prefix"

    def _bounds(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...], str]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        prefix = self.rhs
        if not isinstance(prefix, str) or not prefix:
            raise ValueError("path_prefix needs a non-empty string")
        return lhs, tuple(lhs_params), prefix

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, params, prefix = self._bounds(compiler, connection)
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return f"{lhs} LIKE %s", (*params, escaped + "%")

    def as_sqlite(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, params, prefix = self._bounds(compiler, connection)
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        return f"({lhs} >= %s AND {lhs} < %s)", (*params, prefix, *params, upper)
