"""Reading the roster and its coverage, always by scope.

Coverage of a unit's subtree on a day: the current, active communes with no officer in post that day, the villages
with no collaborator in post that day, and the counts per group, a group being the unit right above the communes (a
district in the former structure, the province in the current one).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from treem.accounts.scope import scope_queryset
from treem.units.models import Level, Structure, Unit

from .models import Position, Worker, in_post


def visible_workers(user: Any) -> QuerySet[Worker]:
    """The roster rows the user may see: those of units in their scope."""
    return scope_queryset(user, Worker.objects.select_related("unit", "unit__parent", "user"))


def roster(
    user: Any, unit: Unit, *, day: dt.date, position: str = "", past: bool = False, query: str = ""
) -> QuerySet[Worker]:
    """The people of `unit`'s subtree (nothing when it is out of the user's scope): in post on `day`, or with
    `past` everyone who ever was; of one position when given; names matching every word of `query`."""
    qs = scope_queryset(user, Worker.objects.select_related("unit", "unit__parent", "user"), within=unit)
    if not past:
        qs = qs.filter(in_post(day))
    if position:
        qs = qs.filter(position=position)
    for word in query.split():
        qs = qs.filter(full_name__icontains=word)
    return qs.order_by("unit_path", "position", "full_name", "pk")


def _units(root: Unit, level: str) -> QuerySet[Unit]:
    """The units of `level` in the subtree of `root` that can have a post: active ones of the current structure."""
    return Unit.objects.subtree(root).filter(level=level, structure=Structure.CURRENT, is_active=True)


@dataclass(slots=True)
class CoverageRow:
    group: Unit
    communes: int = 0
    communes_without_officer: int = 0
    villages: int = 0
    villages_without_collaborator: int = 0
    officers: int = 0
    collaborators: int = 0


@dataclass(slots=True)
class Coverage:
    root: Unit
    day: dt.date
    rows: list[CoverageRow] = field(default_factory=list)
    total: CoverageRow | None = None
    communes_without_officer: list[Unit] = field(default_factory=list)
    villages_without_collaborator: list[Unit] = field(default_factory=list)


def coverage(root: Unit, *, day: dt.date) -> Coverage:
    """Coverage of the subtree of `root` on `day` (see the module). The caller checks `root` is in scope."""
    if root.level == Level.VILLAGE:
        communes: list[Unit] = []
        villages = list(_units(root, Level.VILLAGE))
    else:
        communes = list(_units(root, Level.COMMUNE).select_related("parent"))
        on_roll = {c.pk for c in communes}  # the villages of an inactive commune hold no post either
        villages = [v for v in _units(root, Level.VILLAGE) if v.parent_id in on_roll]
    commune_by_pk = {c.pk: c for c in communes}
    village_pks = {v.pk for v in villages}
    in_post: Counter[int] = Counter()
    for unit_id, position in (
        Worker.objects.active_on(day).filter(unit_path__path_prefix=root.path).values_list("unit_id", "position")
    ):
        wanted = commune_by_pk if position == Position.OFFICER else village_pks
        if unit_id in wanted:
            in_post[unit_id] += 1
    out = Coverage(root=root, day=day)
    rows: dict[int, CoverageRow] = {}

    def row_of(commune: Unit | None) -> CoverageRow:
        group = root
        if root.level not in (Level.COMMUNE, Level.VILLAGE) and commune is not None and commune.parent is not None:
            group = commune.parent
        return rows.setdefault(group.pk, CoverageRow(group=group))

    for c in communes:
        row = row_of(c)
        row.communes += 1
        row.officers += in_post[c.pk]
        if not in_post[c.pk]:
            row.communes_without_officer += 1
            out.communes_without_officer.append(c)
    for v in villages:
        row = row_of(commune_by_pk.get(v.parent_id) if v.parent_id else None)
        row.villages += 1
        row.collaborators += in_post[v.pk]
        if not in_post[v.pk]:
            row.villages_without_collaborator += 1
            out.villages_without_collaborator.append(v)
    out.rows = sorted(rows.values(), key=lambda r: r.group.path)
    total = CoverageRow(group=root)
    for r in out.rows:
        for name in ("communes", "communes_without_officer", "villages", "villages_without_collaborator"):
            setattr(total, name, getattr(total, name) + getattr(r, name))
        total.officers += r.officers
        total.collaborators += r.collaborators
    out.total = total
    return out
