"""Reads of the unit tree: search, children with counts, succession lookups, codes in force on a date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from treem.core.text import fold

from .models import CorrectionKind, Level, Structure, Unit, UnitCorrection


def unit_search(
    text: str, *, structure: str | None = None, within: Unit | None = None, limit: int | None = 50
) -> list[Unit]:
    """Diacritic-insensitive search: every word of `text` must start a word of the unit's name or its parents'.

    Results put the closest names first: exact short-name matches, then higher levels, then path order."""
    words = fold(text).split()
    if not words:
        return []
    qs: QuerySet[Unit] = Unit.objects.filter(is_active=True).select_related("parent")
    if structure:
        qs = qs.filter(structure=structure)
    if within is not None:
        qs = qs.filter(path__path_prefix=within.path)
    for word in words:
        qs = qs.filter(search_key__contains=" " + word)
    folded = " ".join(words)
    results = list(qs.order_by("path")[: (limit * 20 if limit else None)])

    def rank(u: Unit) -> tuple[int, int, int, str]:
        short = fold(u.short_name)
        name = fold(u.name)
        exact = 0 if folded in (short, name) else (1 if short.startswith(folded) or name.startswith(folded) else 2)
        return (exact, 0 if u.structure == Structure.CURRENT else 1, u.depth, u.path)

    results.sort(key=rank)
    return results[:limit] if limit else results


def unit_children(unit: Unit) -> QuerySet[Unit]:
    return Unit.objects.filter(parent=unit, is_active=True).order_by("path")


def current_successors(former: Unit) -> QuerySet[Unit]:
    """The current unit(s) a former commune became; the default successor first."""
    return Unit.objects.filter(predecessors__former=former).order_by("-predecessors__is_default", "path")


@dataclass(frozen=True, slots=True)
class CodeRow:
    """One unit as the code table in force on a date has it."""

    unit_id: int
    level: str
    code: str
    name: str
    parent_code: str | None


def _later_corrections(on: dt.date) -> QuerySet[UnitCorrection]:
    """Applied corrections that took effect after `on`, the latest first: undoing them gives the table of `on`."""
    return UnitCorrection.objects.applied().filter(effective_date__gt=on).order_by("-effective_date", "-pk")


def unit_code_on(unit: Unit, on: dt.date) -> str:
    """The official code of `unit` in force on `on` (figures and exports for a past period join on it)."""
    code = unit.code
    for old in _later_corrections(on).filter(unit=unit, kind=CorrectionKind.RECODE).values_list("old_value", flat=True):
        code = old
    return code


def unit_name_on(unit: Unit, on: dt.date) -> str:
    name = unit.name
    for old in _later_corrections(on).filter(unit=unit, kind=CorrectionKind.RENAME).values_list("old_value", flat=True):
        name = old
    return name


def code_table_on(on: dt.date, *, structure: str = Structure.CURRENT) -> dict[int, CodeRow]:
    """Every official unit of a structure (nation excepted, local villages left out) with the code, name and
    parent code in force on `on`, by unit id: today's table with the corrections effective after `on` undone."""
    units = Unit.objects.filter(structure=structure, is_local=False).exclude(level=Level.NATION)
    values = units.values_list("pk", "level", "code", "name", "parent_id")
    rows: dict[int, list[Any]] = {pk: [level, code, name, parent] for pk, level, code, name, parent in values}
    later = _later_corrections(on).filter(unit__structure=structure).values_list("unit_id", "kind", "old_value")
    for unit_id, kind, old in later:
        row = rows.get(unit_id)
        if row is None:
            continue
        if kind == CorrectionKind.RECODE:
            row[1] = old
        elif kind == CorrectionKind.RENAME:
            row[2] = old
        else:
            # The old parent, found by the code it had at that point of the undoing.
            parent_level = rows[row[3]][0] if row[3] in rows else None
            by_code = {r[1]: pk for pk, r in rows.items() if r[0] == parent_level}
            row[3] = by_code.get(old, row[3])
    return {
        pk: CodeRow(pk, level, code, name, rows[parent][1] if parent in rows else None)
        for pk, (level, code, name, parent) in rows.items()
    }
