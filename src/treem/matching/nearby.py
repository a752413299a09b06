"""The candidates of a few children in the whole registry: every child sharing a blocking key with one of them.

A run after an import compares the children the import stored, not the registry. For each pass of `blocking`
the keys of those children are looked up in the registry's indexes (never a scan of its children), so the work
grows with the number of imported children, not with the registry:

======================  =========================================================================================
pass                    lookup (index)
======================  =========================================================================================
``id``, ``id_digit_*``  the ID itself, each ID with one digit changed, each with two neighbouring digits swapped
``id_swap_*``           (``child_unique_personal_id``)
``name_year``           the same folded full name, born in the same year: the nearest namesakes on each side of
                        the day (``child_name_dob``: name_key, date of birth), as many as the pass would pair
``given_dob``           born on the same day or day and month swapped (``child_dob_name``), with the same folded
                        given name (the last word of ``name_key``, read from the same index); as many as the
                        pass pairs in a block this wide
``guardian_dob``        a guardian of that folded name (the people's ``name_key``), the child born ± 1 day
``dob_commune``,        the children of the same commune (``child_commune_name``: commune, name_key, date of
``dob_pm1_commune``,    birth, id, read from the index alone) with the date of birth ± 1 day or day and month
``commune_name``        swapped, or the same family and given name
======================  =========================================================================================

The lookups may return more children than the passes would pair (e.g. a namesake born the next year is not
looked up, but one born on the day is, whatever the commune): the engine's own blocking then decides, over the new
children and these candidates, and only the pairs with a new child on one side are scored.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import batched
from typing import Any

import numpy as np
from django.db import connection

from treem.registry.models import Child, Guardianship, Person
from treem.registry.selectors import live_children

from . import blocking, engine
from .prepare import guardian_keys, near_days, parse_dob, parse_pid, split_name, swapped_day

LOOKUP_BATCH = 400  # keys per query (well under SQLite's limit on parameters)
READ_BATCH = 5_000  # children read at a time
_ID_DIGITS = 12


@dataclass
class Keys:
    """The blocking keys of the new children, as the registry stores them."""

    ids: set[str] = field(default_factory=set)  # the IDs and their one-digit and swapped neighbours
    name_days: dict[str, set[dt.date]] = field(default_factory=lambda: defaultdict(set))  # name_key -> birthdays
    given_days: dict[dt.date, set[str]] = field(default_factory=lambda: defaultdict(set))  # day -> given names
    guardian_days: dict[str, set[dt.date]] = field(default_factory=lambda: defaultdict(set))  # guardian -> days
    commune_days: dict[int, set[dt.date]] = field(default_factory=lambda: defaultdict(set))  # commune -> days
    commune_names: dict[int, set[tuple[str, str]]] = field(default_factory=lambda: defaultdict(set))  # (family, given)


def id_neighbours(pid: str) -> set[str]:
    """The IDs the ``id`` passes pair with `pid`: itself, one digit changed, two neighbouring digits swapped."""
    out = {pid}
    for p in range(_ID_DIGITS):
        out.update(pid[:p] + d + pid[p + 1 :] for d in "0123456789")
    for p in range(_ID_DIGITS - 1):
        if pid[p] != pid[p + 1]:
            out.add(pid[:p] + pid[p + 1] + pid[p] + pid[p + 2 :])
    return out


def keys_of(records: Iterable[engine.Record], name_keys: dict[str, str]) -> Keys:
    """The keys of `records` (engine records of registered children); `name_keys`: record id -> stored name_key."""
    k = Keys()
    for r in records:
        pid = parse_pid(r.personal_id) if r.personal_id else -1
        if pid >= 0:
            k.ids |= id_neighbours(f"{pid:012d}")
        parts = split_name(r.full_name)
        full = " ".join(t for t in (parts.family_f, parts.middle_f, parts.given_f) if t)
        stored = name_keys.get(r.record_id, "")
        day = parse_dob(r.date_of_birth)
        commune = int(r.commune_code)
        if parts.family_f and parts.given_f:
            k.commune_names[commune].add((parts.family_f, parts.given_f))
        if stored and len(words := stored.split()) > 1:
            k.commune_names[commune].add((words[0], words[-1]))
        if day is None:
            continue
        for name in {full, stored} - {""}:
            k.name_days[name].add(day)
        for d in {day, *(x for x in (swapped_day(day),) if x)}:
            for given in {parts.given_f, stored.rsplit(" ", 1)[-1]} - {""}:
                k.given_days[d].add(given)
        for guardian in guardian_keys(r.guardian_name):
            k.guardian_days[guardian] |= near_days(day)
        k.commune_days[commune] |= near_days(day)
    return k


WINDOW = max(blocking.WINDOW, blocking.WIDE_BLOCK)  # namesakes of a year taken on each side of the day
UNION = 100  # sub-selects per statement


def _select(parts: list[tuple[str, list[Any]]]) -> set[int]:
    """The ids the sub-selects give, `UNION` of them per statement (each its own plan: an index seek)."""
    found: set[int] = set()
    with connection.cursor() as cursor:
        for chunk in batched(parts, UNION, strict=False):
            sql = " UNION ALL ".join(f"SELECT id FROM ({part}) AS s{i}" for i, (part, _p) in enumerate(chunk))  # noqa: S608
            cursor.execute(sql, [p for _part, params in chunk for p in params])
            found.update(pk for (pk,) in cursor.fetchall())
    return found


def _marks(n: int) -> str:
    return ", ".join(["%s"] * n)


# The lookups (table names from the models, every value a parameter).
_CHILD, _PERSON, _LINK = Child._meta.db_table, Person._meta.db_table, Guardianship._meta.db_table
_BY_ID = f"SELECT id FROM {_CHILD} WHERE personal_id IN ({{marks}})"  # noqa: S608
_NAME_AFTER = (
    f"SELECT id FROM {_CHILD} WHERE name_key = %s AND date_of_birth >= %s AND date_of_birth <= %s "  # noqa: S608
    f"ORDER BY date_of_birth LIMIT {WINDOW + 1}"
)
_NAME_BEFORE = (
    f"SELECT id FROM {_CHILD} WHERE name_key = %s AND date_of_birth < %s AND date_of_birth >= %s "  # noqa: S608
    f"ORDER BY date_of_birth DESC LIMIT {WINDOW}"
)
_GIVEN_DAY = (
    f"SELECT id FROM {_CHILD} WHERE date_of_birth = %s AND (name_key = %s OR name_key LIKE %s) "  # noqa: S608
    f"LIMIT {2 * WINDOW + 1}"
)
_GUARDIAN_DAYS = (
    f"SELECT g.child_id AS id FROM {_PERSON} p JOIN {_LINK} g ON g.person_id = p.id "  # noqa: S608
    f"JOIN {_CHILD} c ON c.id = g.child_id WHERE p.name_key = %s AND c.date_of_birth IN ({{marks}})"
)


def candidate_ids(k: Keys) -> set[int]:
    """The ids of every child (merged-away ones too: left out when read) sharing a key of `k`."""
    day = connection.ops.adapt_datefield_value
    found: set[int] = set()
    with connection.cursor() as cursor:
        for chunk in batched(sorted(k.ids), LOOKUP_BATCH, strict=False):
            cursor.execute(_BY_ID.format(marks=_marks(len(chunk))), chunk)
            found.update(pk for (pk,) in cursor.fetchall())
    parts: list[tuple[str, list[Any]]] = []
    for name, days in sorted(k.name_days.items()):  # the namesakes of the year nearest the day, on each side
        for d in sorted(days):
            first, last = day(dt.date(d.year, 1, 1)), day(dt.date(d.year, 12, 31))
            parts += [(_NAME_AFTER, [name, day(d), last]), (_NAME_BEFORE, [name, day(d), first])]
    for d, givens in sorted(k.given_days.items()):
        parts += [(_GIVEN_DAY, [day(d), given, f"% {given}"]) for given in sorted(givens)]
    for guardian, days in sorted(k.guardian_days.items()):
        parts.append((_GUARDIAN_DAYS.format(marks=_marks(len(days))), [guardian, *(day(d) for d in sorted(days))]))
    found |= _select(parts)
    for commune in sorted(k.commune_days.keys() | k.commune_names.keys()):
        in_days, in_names = k.commune_days.get(commune, set()), k.commune_names.get(commune, set())
        rows = Child.objects.filter(commune_id=commune).order_by().values_list("pk", "name_key", "date_of_birth")
        for pk, name_key, dob in rows.iterator(chunk_size=READ_BATCH):  # the commune's index entries only
            words = name_key.split()
            if dob in in_days or (len(words) > 1 and (words[0], words[-1]) in in_names):
                found.add(pk)
    return found


def _read(ids: Iterable[int], records: Callable[[Any], Iterator[engine.Record]]) -> Iterator[engine.Record]:
    for chunk in batched(ids, READ_BATCH, strict=False):
        yield from records(live_children().filter(pk__in=chunk))


def columns_with_candidates(
    child_ids: Iterable[int],
    records: Callable[[Any], Iterator[engine.Record]],
    progress: engine.Progress | None = None,
) -> tuple[engine.Columns, np.ndarray]:
    """The children of `child_ids` (merged-away ones left out) and their candidates, prepared as one set of columns,
    and the mask of the rows that are the children's own (the pairs to score have one of them on a side).
    `records` turns a queryset of children into engine records (`runs.child_records`)."""
    ids = sorted(set(child_ids))
    new = list(_read(ids, records))
    name_keys = {
        str(pk): key for chunk in batched(ids, READ_BATCH, strict=False)
        for pk, key in Child.objects.filter(pk__in=chunk).values_list("pk", "name_key")
    }  # fmt: skip
    if progress:
        progress("reading", len(new), len(new))
    others = sorted(candidate_ids(keys_of(new, name_keys)) - set(ids))
    builder = engine.ColumnBuilder()
    builder.extend(new)
    for n, record in enumerate(_read(others, records), start=1):
        builder.add(record)
        if progress and n % READ_BATCH == 0:
            progress("reading", len(new) + n, len(new) + len(others))
    c = builder.build()
    involving = np.zeros(len(c), dtype=bool)
    involving[: len(new)] = True
    return c, involving
