"""Writes to the unit tree: the idempotent official load and villages added by a commune."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max

from treem.core.text import fold, nfc

from . import source
from .models import PATH_SEP, Level, Structure, Succession, Unit

REFORM_DATE = dt.date(2025, 7, 1)
_SYNCED_FIELDS = ("level", "name", "short_name", "unit_type", "parent_id", "path", "full_path", "search_key",
                  "latitude", "longitude")  # fmt: skip
_PATH_PREFIX = {Structure.CURRENT: "C", Structure.FORMER: "F"}


@dataclass(frozen=True, slots=True)
class LoadResult:
    created: int
    updated: int
    unchanged: int
    successions_created: int
    successions_removed: int


def _full_path(parent: Unit | None, name: str) -> str:
    if parent is None or parent.level == Level.NATION:
        return name
    return f"{parent.full_path} > {name}"


def search_key(short_name: str, full_path: str) -> str:
    """Folded words with a leading space each, so a search matches word prefixes: ` ban` finds `Bản`."""
    return " " + " ".join(fold(f"{short_name} {full_path}".replace(">", " ")).split())


def _sync_structure(records: Iterable[source.UnitRecord], structure: str) -> tuple[int, int, int]:
    existing = {u.code: u for u in Unit.objects.filter(structure=structure, is_local=False)}
    created = updated = unchanged = 0
    by_code: dict[str, Unit] = {}
    pending_level: str | None = None
    to_create: list[Unit] = []
    to_update: list[Unit] = []

    def flush() -> None:
        # Parents must have primary keys before their children are built.
        Unit.objects.bulk_create(to_create, batch_size=1000)
        Unit.objects.bulk_update(to_update, _SYNCED_FIELDS, batch_size=1000)
        to_create.clear()
        to_update.clear()

    for rec in records:
        if rec.level != pending_level:
            flush()
            pending_level = rec.level
        parent = by_code[rec.parent_code] if rec.parent_code else None
        prefix = parent.path if parent else _PATH_PREFIX[Structure(structure)] + PATH_SEP
        path = prefix if rec.level == Level.NATION else f"{prefix}{rec.code}{PATH_SEP}"
        full_path = _full_path(parent, rec.name)
        values = {
            "level": rec.level,
            "name": rec.name,
            "short_name": rec.short_name,
            "unit_type": rec.unit_type,
            "parent_id": parent.pk if parent else None,
            "path": path,
            "full_path": full_path,
            "search_key": search_key(rec.short_name, full_path),
            "latitude": rec.latitude,
            "longitude": rec.longitude,
        }
        unit = existing.get(rec.code)
        if unit is None:
            unit = Unit(structure=structure, code=rec.code, **values)
            to_create.append(unit)
            created += 1
        elif any(getattr(unit, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(unit, k, v)
            to_update.append(unit)
            updated += 1
        else:
            unchanged += 1
        by_code[rec.code] = unit
    flush()
    return created, updated, unchanged


def _sync_successions() -> tuple[int, int]:
    current = dict(Unit.objects.filter(structure=Structure.CURRENT, is_local=False).values_list("code", "pk"))
    former = dict(
        Unit.objects.filter(structure=Structure.FORMER, level__in=[Level.DISTRICT, Level.COMMUNE]).values_list(
            "code", "pk"
        )
    )
    wanted: dict[tuple[int, int], tuple[bool, bool]] = {}
    for rec in source.successions():
        key = (former[rec.former_code], current[rec.current_code])
        partial, default = wanted.get(key, (False, False))
        wanted[key] = (partial or rec.is_partial, default or rec.is_default)
    have = {(s.former_id, s.current_id): s for s in Succession.objects.all()}
    stale = [s.pk for key, s in have.items() if key not in wanted]
    Succession.objects.filter(pk__in=stale).delete()
    changed = []
    for key, (partial, default) in wanted.items():
        s = have.get(key)
        if s and (s.is_partial, s.is_default) != (partial, default):
            s.is_partial, s.is_default = partial, default
            changed.append(s)
    Succession.objects.bulk_update(changed, ["is_partial", "is_default"])
    new = [
        Succession(former_id=f, current_id=c, is_partial=p, is_default=d, effective_date=REFORM_DATE)
        for (f, c), (p, d) in wanted.items()
        if (f, c) not in have
    ]
    Succession.objects.bulk_create(new, batch_size=1000)
    return len(new), len(stale)


@transaction.atomic
def units_load() -> LoadResult:
    """Load or refresh both official structures and the succession map. Safe to run again: it only
    creates what is missing and updates what changed; villages added locally are left alone."""
    c1, u1, n1 = _sync_structure(source.current_units(), Structure.CURRENT)
    c2, u2, n2 = _sync_structure(source.former_units(), Structure.FORMER)
    sc, sr = _sync_successions()
    return LoadResult(c1 + c2, u1 + u2, n1 + n2, sc, sr)


class VillageError(ValueError):
    pass


@transaction.atomic
def village_add(*, commune: Unit, name: str, unit_type: str = "Thôn") -> Unit:
    """Add a village or residential group (thôn, bản, ấp, tổ dân phố) below a commune."""
    from django.utils.translation import gettext as _

    if commune.level != Level.COMMUNE:
        raise VillageError(_("Villages can only be added below a commune."))
    clean = nfc(name)
    if not clean:
        raise VillageError(_("The village name is empty."))
    full_name = clean if fold(clean).startswith(fold(unit_type) + " ") else f"{unit_type} {clean}"
    short = full_name[len(unit_type) :].strip() if full_name.startswith(unit_type) else clean
    siblings = Unit.objects.select_for_update().filter(parent=commune, level=Level.VILLAGE)
    if any(fold(v.name) == fold(full_name) for v in siblings):
        raise VillageError(_("This commune already has a village with that name."))
    last = siblings.aggregate(m=Max("code"))["m"]
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    code = f"{commune.code}-{number:03d}"
    full_path = _full_path(commune, full_name)
    return Unit.objects.create(
        structure=commune.structure,
        level=Level.VILLAGE,
        code=code,
        name=full_name,
        short_name=short,
        unit_type=unit_type,
        parent=commune,
        path=f"{commune.path}{code}{PATH_SEP}",
        full_path=full_path,
        search_key=search_key(short, full_path),
        is_local=True,
    )
