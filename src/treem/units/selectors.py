"""Reads of the unit tree: search, children with counts, succession lookups."""

from __future__ import annotations

from django.db.models import QuerySet

from treem.core.text import fold

from .models import Structure, Unit


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
