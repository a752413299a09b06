"""Fast bulk inserts of new rows and of their django-simple-history "created" rows. Knows no domain.

`BulkInsert(Model).insert(objs)` does what `bulk_create` does (multi-row INSERT … RETURNING the primary keys, each
value prepared by its field, auto_now dates set), then writes one "+" history row per object from the same prepared
values. It skips the ORM compiler's per-value work and the historical model instances, which made
`bulk_create_with_history` most of an import's time (about 4× faster on 20,000 children). On PostgreSQL the same
rows (and history rows) go in with COPY, the primary keys drawn from the table's sequence first.

A row can also be a dict {attname: value} (fields left out get their default): for link rows nothing reads back,
a model instance per row is not worth its cost. Its primary key is put in the dict.

Callers run it inside their own transaction; it opens none.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
from collections.abc import Iterator
from operator import itemgetter
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Model
from django.utils import timezone

_PLAIN_TYPES = {"CharField", "TextField", "BooleanField", "IntegerField", "BigIntegerField", "SmallIntegerField",
                "PositiveIntegerField", "PositiveSmallIntegerField", "PositiveBigIntegerField"}  # fmt: skip
_AS_IS = {str, int, bool, type(None)}
type _Prepared = dict[tuple[str, Any], Any]  # (attname, value) -> the value as the database stores it


def _column(field: Any) -> str:
    column: str | None = field.column
    assert column is not None  # noqa: S101 - a concrete field has a column
    return column


def _kind(field: Any) -> str:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return "now"
    return "plain" if field.get_internal_type() in _PLAIN_TYPES or field.is_relation else "convert"


class BulkInsert:
    """Inserts new rows of one model (and their history rows when the model has `history = HistoricalRecords()`)."""

    MAX_PARAMS = 30_000
    HISTORY_OWN = ("history_date", "history_change_reason", "history_type", "history_user_id")

    def __init__(self, model: type[Model]) -> None:
        quote = connection.ops.quote_name
        opts = model._meta
        self.model = model
        self.fields = [f for f in opts.concrete_fields if not f.primary_key]
        self.index = {f.attname: i for i, f in enumerate(self.fields)}
        # how each field's value is made: "plain" fields store their attribute as it is (text, numbers, flags,
        # foreign keys), "now" fields (auto_now, auto_now_add) get one time per batch, others go through the field
        self.plan = [(f, f.attname, _kind(f)) for f in self.fields]
        self.defaults = {f.attname: f.get_default() for f in self.fields}
        for attname, default in self.defaults.items():  # a choices default (an enum member): its value, once
            if isinstance(default, enum.Enum):
                self.defaults[attname] = default.value
        # dict rows: every value in one C call (itemgetter), then only the fields that need it are converted
        self.attnames = [f.attname for f in self.fields]
        self.getter = itemgetter(*self.attnames) if len(self.attnames) > 1 else (lambda d: (d[self.attnames[0]],))
        self.now_names = [a for _f, a, kind in self.plan if kind == "now"]
        self.plain_at = [i for i, (_f, _a, kind) in enumerate(self.plan) if kind == "plain"]
        self.convert_at = [(i, f, a) for i, (f, a, kind) in enumerate(self.plan) if kind != "plain"]
        self.pk_attname = opts.pk.attname
        self.table, self.quoted_table = opts.db_table, quote(opts.db_table)
        self.pk_column = _column(opts.pk)
        self.pk_quoted = quote(self.pk_column)
        self.columns_sql = ", ".join(quote(_column(f)) for f in self.fields)
        self.insert_sql = f"INSERT INTO {self.quoted_table} ({self.columns_sql}) "
        self.row_sql = "(" + ", ".join(["%s"] * len(self.fields)) + ")"
        self.returning_sql = f" RETURNING {quote(_column(opts.pk))}"
        history = getattr(model, "history", None)
        self.history = history.model if history is not None else None
        if self.history is not None:
            hopts = self.history._meta
            self.history_fields = [f for f in hopts.concrete_fields if not f.primary_key]
            unknown = {f.attname for f in self.history_fields} - set(self.index) - {self.pk_attname, *self.HISTORY_OWN}
            if unknown:  # a history field this writer would not know how to fill: say so, loudly
                raise ImproperlyConfigured(f"{hopts.label} has fields BulkInsert cannot fill: {sorted(unknown)}")
            columns = ", ".join(quote(f.column) for f in self.history_fields)
            places = ", ".join(["%s"] * len(self.history_fields))
            self.history_sql = f"INSERT INTO {quote(hopts.db_table)} ({columns}) VALUES ({places})"  # noqa: S608
            self.history_copy_sql = f"COPY {quote(hopts.db_table)} ({columns}) FROM STDIN"
            self.history_date = hopts.get_field("history_date")
            # a history row from a row: its values are picked from [*row, pk, *own values] by position
            n = len(self.fields)
            self.history_at = itemgetter(*[
                n + 1 + self.HISTORY_OWN.index(f.attname) if f.attname in self.HISTORY_OWN
                else n if f.attname == self.pk_attname else self.index[f.attname]
                for f in self.history_fields
            ])  # fmt: skip

    def insert(self, objs: list[Any], *, user: Any = None, reason: str = "", history: bool = True) -> None:
        """Insert `objs` (model instances or dicts) and, unless `history` is False, their "created" history rows.

        With `history=False` the caller writes them later with `write_history` (after filling a column that could
        only be known once other rows were stored)."""
        if not objs:
            return
        now = timezone.now()
        prepared: _Prepared = {}
        rows = self._rows(objs, now, prepared, set_now=True)
        if connection.vendor == "postgresql":
            self._copy(objs, rows, user, reason, history)
            return
        size = max(1, min(connection.ops.bulk_batch_size(self.fields, objs), self.MAX_PARAMS // len(self.fields)))
        with connection.cursor() as cursor:
            for start in range(0, len(rows), size):
                batch = rows[start : start + size]
                sql = self.insert_sql + "VALUES " + ", ".join([self.row_sql] * len(batch)) + self.returning_sql
                cursor.execute(sql, [value for row in batch for value in row])
                for obj, (pk,) in zip(objs[start : start + size], cursor.fetchall(), strict=True):
                    if isinstance(obj, dict):
                        obj[self.pk_attname] = pk
                    else:
                        setattr(obj, self.pk_attname, pk)
                        obj._state.adding, obj._state.db = False, connection.alias
            if history and self.history is not None:
                cursor.executemany(self.history_sql, self._history_rows(objs, rows, user, reason))

    def _copy(self, objs: list[Any], rows: list[list[Any]], user: Any, reason: str, history: bool) -> None:
        """PostgreSQL: the primary keys drawn from the table's sequence first, then the rows (and their history
        rows) with COPY, several times faster than INSERT … RETURNING. Same rows as the INSERT path."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [self.table, self.pk_column, len(rows)],
            )
            pks = [pk for (pk,) in cursor.fetchall()]
            with cursor.cursor.copy(
                f"COPY {self.quoted_table} ({self.pk_quoted}, {self.columns_sql}) FROM STDIN"
            ) as copy:
                for pk, row in zip(pks, rows, strict=True):
                    copy.write_row([pk, *row])
            for obj, pk in zip(objs, pks, strict=True):
                if isinstance(obj, dict):
                    obj[self.pk_attname] = pk
                else:
                    setattr(obj, self.pk_attname, pk)
                    obj._state.adding, obj._state.db = False, connection.alias
            if history and self.history is not None:
                self._copy_history(cursor, self._history_rows(objs, rows, user, reason))

    def _copy_history(self, cursor: Any, rows: list[list[Any]]) -> None:
        with cursor.cursor.copy(self.history_copy_sql) as copy:
            for row in rows:
                copy.write_row(row)

    def write_history(self, objs: list[Any], *, user: Any = None, reason: str = "", kind: str = "+") -> None:
        """History rows ("+" created, "~" changed) of stored objects, from their current values."""
        if not objs or self.history is None:
            return
        rows = self._rows(objs, timezone.now(), {}, set_now=False)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                self._copy_history(cursor, self._history_rows(objs, rows, user, reason, kind))
            else:
                cursor.executemany(self.history_sql, self._history_rows(objs, rows, user, reason, kind))

    def _rows(self, objs: list[Any], now: dt.datetime, prepared: _Prepared, *, set_now: bool) -> list[list[Any]]:
        if isinstance(objs[0], dict):
            return self._dict_rows(objs, now, prepared, set_now)
        for obj in objs:  # a related object stored after it was assigned: take its key (as bulk_create does)
            obj._prepare_related_fields_for_save(operation_name="bulk_insert")
        return [self._row(obj, now, prepared, set_now) for obj in objs]

    def _row(self, obj: Any, now: dt.datetime, prepared: _Prepared, set_now: bool) -> list[Any]:
        row = []
        for field, attname, kind in self.plan:
            if kind == "now" and set_now:
                setattr(obj, attname, now)
            value = getattr(obj, attname)
            if kind == "plain" and value.__class__ in _AS_IS:  # what the field would store anyway
                row.append(value)
                continue
            try:  # dates and times repeat: each distinct value is converted once per insert
                row.append(prepared[attname, value])
            except KeyError:
                row.append(prepared.setdefault((attname, value), field.get_db_prep_save(value, connection)))
            except TypeError:  # not hashable
                row.append(field.get_db_prep_save(value, connection))
        return row

    def _dict_rows(
        self, objs: list[dict[str, Any]], now: dt.datetime, prepared: _Prepared, set_now: bool
    ) -> list[list[Any]]:
        """`_row` of dict rows, the same values: the fields a dict leaves out take their default (put in the dict)."""
        defaults, getter, plain_at, convert_at = self.defaults, self.getter, self.plain_at, self.convert_at
        out = []
        for obj in objs:
            if set_now:
                for attname in self.now_names:
                    obj[attname] = now
            try:
                row = list(getter(obj))
            except KeyError:
                for attname in self.attnames:
                    if attname not in obj:
                        obj[attname] = defaults[attname]
                row = list(getter(obj))
            for i in plain_at:
                if row[i].__class__ not in _AS_IS:  # as `_row`: what the field stores
                    row[i] = self.plan[i][0].get_db_prep_save(row[i], connection)
            for i, field, attname in convert_at:
                value = row[i]
                try:
                    row[i] = prepared[attname, value]
                except KeyError:
                    row[i] = prepared.setdefault((attname, value), field.get_db_prep_save(value, connection))
                except TypeError:
                    row[i] = field.get_db_prep_save(value, connection)
            out.append(row)
        return out

    def _history_rows(
        self, objs: list[Any], rows: list[list[Any]], user: Any, reason: str, kind: str = "+"
    ) -> list[list[Any]]:
        own = {
            "history_date": self.history_date.get_db_prep_save(timezone.now(), connection),
            "history_change_reason": reason,
            "history_type": kind,
            "history_user_id": user.pk if getattr(user, "is_authenticated", False) else None,
        }
        tail = [own[name] for name in self.HISTORY_OWN]
        pk = self.pk_attname
        pick = self.history_at
        return [
            list(pick([*row, obj[pk] if isinstance(obj, dict) else getattr(obj, pk), *tail]))
            for obj, row in zip(objs, rows, strict=True)
        ]


def insert_rows(
    model: type[Model], fields: tuple[str, ...], rows: list[tuple[Any, ...]], *, batch: int = 10_000
) -> None:
    """Insert plain rows (values already as the database takes them, in the order of `fields`, attribute names): COPY
    on PostgreSQL, one prepared INSERT with many parameter sets on SQLite; for wide writes that need no model
    instance, no primary keys back and no history (import preview rows, indicator values). Runs in the caller's
    transaction."""
    if not rows:
        return
    quote = connection.ops.quote_name
    opts = model._meta
    columns = ", ".join(quote(_column(opts.get_field(f))) for f in fields)  # a name or an attname (unit_id)
    if connection.vendor == "postgresql":  # COPY: several times faster than many INSERTs (the SQLite path below)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {quote(opts.db_table)} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    sql = f"INSERT INTO {quote(opts.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            cursor.executemany(sql, rows[start : start + batch])


@contextlib.contextmanager
def sqlite_cache(kib: int) -> Iterator[None]:
    """On SQLite, a page cache of `kib` KiB for this connection meanwhile (a long bulk write whose indexes outgrow
    the default 2 MB), put back afterwards; elsewhere nothing. Never makes the cache smaller."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        if before < 0 and -before >= kib:
            before = None
        else:
            cursor.execute(f"PRAGMA cache_size = -{int(kib):d}")
    try:
        yield
    finally:
        if before is not None:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(before):d}")
