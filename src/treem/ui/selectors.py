"""Read models for the base UI: a unit with its sub-units and what lies below each of them."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from treem.accounts.models import User
from treem.core.text import fold
from treem.registry.models import Child, ChildStatus
from treem.units.models import PATH_SEP, Level, Unit

COUNTED_LEVELS = (Level.DISTRICT, Level.COMMUNE, Level.VILLAGE)
TABLE_LEVELS = (Level.COMMUNE, Level.VILLAGE)  # the sub-unit table's count columns


def name_order(unit: Unit) -> tuple[str, str]:
    """Units in the order of their names without the type word ("Xã Bình Lư" before "Phường Đoàn Kết"), as a
    reader looks them up; without diacritics, like the registry's own name order."""
    return fold(unit.short_name or unit.name), fold(unit.name)


@dataclass(slots=True)
class SubUnitRow:
    unit: Unit
    counts: dict[str, int] = field(default_factory=dict)  # level -> number of units of that level below
    users: int = 0
    children: int = 0


@dataclass(slots=True)
class UnitOverview:
    unit: Unit
    totals: dict[str, int]
    rows: list[SubUnitRow]
    ancestors: list[Unit]
    children: int = 0
    columns: list[str] = field(default_factory=list)  # the levels counted per row that some row has (no empty column)


def unit_overview(unit: Unit, *, visible_root: Unit | None = None) -> UnitOverview:
    """The unit's direct sub-units with counts of units, users and children below each; four queries in all."""
    children = sorted(Unit.objects.filter(parent=unit, is_active=True), key=name_order)
    rows = {c.path: SubUnitRow(c) for c in children}
    depth = unit.path.count(PATH_SEP)
    totals: Counter[str] = Counter()
    per_child: dict[str, Counter[str]] = defaultdict(Counter)
    below = Unit.objects.filter(path__path_prefix=unit.path, is_active=True, level__in=COUNTED_LEVELS).exclude(
        pk=unit.pk
    )
    for path, level in below.values_list("path", "level").iterator(chunk_size=5000):
        totals[level] += 1
        child_path = PATH_SEP.join(path.split(PATH_SEP)[: depth + 1]) + PATH_SEP
        if child_path != path:
            per_child[child_path][level] += 1
    user_counts: Counter[str] = Counter()
    for path in User.objects.filter(unit__path__path_prefix=unit.path, is_active=True).values_list(
        "unit__path", flat=True
    ):
        child_path = PATH_SEP.join(path.split(PATH_SEP)[: depth + 1]) + PATH_SEP
        user_counts[child_path] += 1
    child_counts: Counter[str] = Counter()
    active = Child.objects.filter(unit_path__path_prefix=unit.path, status=ChildStatus.ACTIVE, merged_into__isnull=True)
    for path, n in active.values_list("unit_path").annotate(n=Count("pk")).order_by():
        child_counts[PATH_SEP.join(path.split(PATH_SEP)[: depth + 1]) + PATH_SEP] += n
    for path, row in rows.items():
        row.counts = dict(per_child[path])
        row.users = user_counts[path]
        row.children = child_counts[path]
    ancestors: list[Unit] = []
    if visible_root is not None and unit.pk != visible_root.pk:
        paths = [p for p in unit.ancestor_paths() if p.startswith(visible_root.path) and p != unit.path]
        ancestors = list(Unit.objects.filter(path__in=paths).order_by("path"))
    columns = [level for level in TABLE_LEVELS if any(row.counts.get(level) for row in rows.values())]
    return UnitOverview(
        unit=unit, totals=dict(totals), rows=list(rows.values()), ancestors=ancestors,
        children=sum(child_counts.values()), columns=columns,
    )  # fmt: skip
