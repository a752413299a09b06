"""Writes to the unit tree: the idempotent official load and villages added by a commune."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Max, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.models import HistoricalChanges

from treem.core.dates import today_vn
from treem.core.text import fold, nfc

from . import source
from .models import PATH_SEP, CorrectionKind, Level, Structure, Succession, Unit, UnitCorrection, unit_path_field

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


class UnitLoadError(RuntimeError):
    pass


@dataclass(frozen=True, slots=True)
class _Corrections:
    """What the applied corrections of one structure change in the package's records."""

    recode: dict[str, str]  # package code -> code in force
    rename: dict[str, tuple[str, str, str]]  # code in force -> (name, short name, type)
    reparent: dict[str, str]  # code in force -> parent's code in force

    def apply(self, rec: source.UnitRecord) -> source.UnitRecord:
        code = self.recode.get(rec.code, rec.code)
        parent_code = self.recode.get(rec.parent_code, rec.parent_code) if rec.parent_code else None
        parent_code = self.reparent.get(code, parent_code)
        name, short, unit_type = self.rename.get(code, (rec.name, rec.short_name, rec.unit_type))
        if (code, parent_code, name) == (rec.code, rec.parent_code, rec.name):
            return rec
        return replace(rec, code=code, parent_code=parent_code, name=name, short_name=short, unit_type=unit_type)


def _corrections_in_force(structure: str) -> _Corrections:
    """Read back from the unit rows what the applied corrections made of them, so a reload keeps it."""
    recode: dict[str, str] = {}
    rename: dict[str, tuple[str, str, str]] = {}
    reparent: dict[str, str] = {}
    rows = (
        UnitCorrection.objects.applied()
        .filter(unit__structure=structure)
        .select_related("unit", "unit__parent")
        .order_by("effective_date", "applied_at", "pk")
    )
    first_code: dict[int, str] = {}
    for c in rows:
        unit = c.unit
        if c.kind == CorrectionKind.RECODE:
            first_code.setdefault(unit.pk, c.old_value)
            recode[first_code[unit.pk]] = unit.code
        elif c.kind == CorrectionKind.RENAME:
            rename[unit.code] = (unit.name, unit.short_name, unit.unit_type)
        elif c.kind == CorrectionKind.REPARENT and unit.parent is not None:
            reparent[unit.code] = unit.parent.code
    return _Corrections(recode, rename, reparent)


def _segment(path: str) -> str:
    return path.rstrip(PATH_SEP).rsplit(PATH_SEP, 1)[-1]


def _sync_structure(
    records: Iterable[source.UnitRecord], structure: str, corrections: _Corrections
) -> tuple[int, int, int]:
    existing = {u.code: u for u in Unit.objects.filter(structure=structure, is_local=False)}
    taken_paths = set(Unit.objects.filter(structure=structure).values_list("path", flat=True))
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

    for raw in records:
        rec = corrections.apply(raw)
        if rec.code in by_code:
            raise UnitLoadError(
                f"code {rec.code} is given twice after applying the unit corrections (package code {raw.code}); "
                "check the recorded corrections against the new package data"
            )
        if rec.level != pending_level:
            flush()
            pending_level = rec.level
        parent = by_code[rec.parent_code] if rec.parent_code else None
        unit = existing.get(rec.code)
        prefix = parent.path if parent else _PATH_PREFIX[Structure(structure)] + PATH_SEP
        if rec.level == Level.NATION:
            path = prefix
        elif unit is not None:
            # The path is an internal key: it keeps the code the unit was first loaded with, so a new code
            # changes no stored path (records, scopes); only a new parent moves it.
            path = f"{prefix}{_segment(unit.path)}{PATH_SEP}"
        else:
            path = f"{prefix}{rec.code}{PATH_SEP}"
            n = 1
            while path in taken_paths:  # the code of a unit that was given a new one
                n += 1
                path = f"{prefix}{rec.code}~{n}{PATH_SEP}"
            taken_paths.add(path)
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


def _sync_successions(current_map: dict[str, str], former_map: dict[str, str]) -> tuple[int, int]:
    current = dict(Unit.objects.filter(structure=Structure.CURRENT, is_local=False).values_list("code", "pk"))
    former = dict(
        Unit.objects.filter(structure=Structure.FORMER, level__in=[Level.DISTRICT, Level.COMMUNE]).values_list(
            "code", "pk"
        )
    )
    wanted: dict[tuple[int, int], tuple[bool, bool]] = {}
    for rec in source.successions():
        key = (
            former[former_map.get(rec.former_code, rec.former_code)],
            current[current_map.get(rec.current_code, rec.current_code)],
        )
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
    creates what is missing and updates what changed; villages added locally are left alone.

    Applied unit corrections (`UnitCorrection`) are applied to the package's records before they are written,
    so a reload never undoes a correction (and does not write the package's value and then the correction)."""
    current_fix = _corrections_in_force(Structure.CURRENT)
    former_fix = _corrections_in_force(Structure.FORMER)
    c1, u1, n1 = _sync_structure(source.current_units(), Structure.CURRENT, current_fix)
    c2, u2, n2 = _sync_structure(source.former_units(), Structure.FORMER, former_fix)
    sc, sr = _sync_successions(current_fix.recode, former_fix.recode)
    return LoadResult(c1 + c2, u1 + u2, n1 + n2, sc, sr)


class VillageError(ValueError):
    pass


@transaction.atomic
def village_add(*, commune: Unit, name: str, unit_type: str = "Thôn") -> Unit:
    """Add a village or residential group (thôn, bản, ấp, tổ dân phố) below a commune."""
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


# --- Corrections of the official list ------------------------------------------------------------------------

# Type words that start an official unit name, longest first so "Thị trấn" is not read as "Thị".
TYPE_WORDS = ("Thành phố", "Tổ dân phố", "Thị trấn", "Khu phố", "Đặc khu", "Thị xã", "Phường", "Huyện", "Tỉnh",
              "Quận", "Thôn", "Bản", "Xã", "Ấp")  # fmt: skip


class CorrectionError(ValueError):
    pass


def split_type(name: str) -> tuple[str | None, str]:
    """`("Xã", "Ba Chẽ")` for "xã  Ba Chẽ": the type word (canonical case, matched case-insensitively) and the rest."""
    clean = nfc(name)
    for word in TYPE_WORDS:
        if clean.casefold().startswith(word.casefold() + " "):
            return word, clean[len(word) + 1 :]
    return None, clean


def _current_value(unit: Unit, kind: str) -> str:
    if kind == CorrectionKind.RENAME:
        return unit.name
    if kind == CorrectionKind.RECODE:
        return unit.code
    return unit.parent.code if unit.parent else ""


def _clean_new_value(unit: Unit, kind: str, value: str) -> str:
    value = nfc(value)
    if not value:
        raise CorrectionError(_("The new value is empty."))
    if kind == CorrectionKind.RENAME:
        word, rest = split_type(value)
        if word is None:
            word = unit.unit_type
        if not rest:
            raise CorrectionError(_("The new name has no name after its type word."))
        return f"{word} {rest}"
    if kind == CorrectionKind.RECODE and (PATH_SEP in value or "~" in value or " " in value or len(value) > 20):
        raise CorrectionError(_("A code has at most 20 characters, without spaces, dots or tildes."))
    return value


def correction_check(*, unit: Unit, kind: str, new_value: str, source_document: str) -> tuple[str, str, str]:
    """The old value (in force now), the cleaned new value and source document of a correction, or an error."""
    if kind not in CorrectionKind.values:
        raise CorrectionError(_("Unknown kind of correction."))
    unit = Unit.objects.select_related("parent").get(pk=unit.pk)  # the values in force, not a stale copy
    if unit.is_local or unit.level == Level.NATION:
        raise CorrectionError(_("Only units of the official list are corrected; local villages are edited."))
    source_document = nfc(source_document)
    if not source_document:
        raise CorrectionError(_("Name the document behind the correction (decision, notice)."))
    new = _clean_new_value(unit, kind, new_value)
    old = _current_value(unit, kind)
    if new == old:
        raise CorrectionError(_("The new value is the value in force: nothing to correct."))
    return old, new, source_document


@transaction.atomic
def correction_record(
    *,
    unit: Unit,
    kind: str,
    new_value: str,
    effective_date: dt.date,
    source_document: str,
    recorded_by: Any = None,
    recorded_by_name: str = "",
) -> UnitCorrection:
    """Record (not yet apply) a correction of the official list: the value now in force becomes `old_value`."""
    old, new, document = correction_check(unit=unit, kind=kind, new_value=new_value, source_document=source_document)
    return UnitCorrection.objects.create(
        unit=unit, kind=kind, old_value=old, new_value=new, effective_date=effective_date,
        source_document=document, recorded_by=recorded_by,
        recorded_by_name=recorded_by_name or (recorded_by.get_username() if recorded_by else ""),
    )  # fmt: skip


def _refresh_names(unit: Unit) -> None:
    """Full names and search keys of the unit and everything below it, from the top down."""
    parent = unit.parent
    changed: list[Unit] = []
    by_pk: dict[int, Unit] = {}
    for u in Unit.objects.subtree(unit).select_related("parent").order_by("path"):
        up = by_pk.get(u.parent_id) if u.parent_id else None
        if u.pk == unit.pk:
            u, up = unit, parent
        u.full_path = _full_path(up, u.name)
        u.search_key = search_key(u.short_name, u.full_path)
        by_pk[u.pk] = u
        changed.append(u)
    Unit.objects.bulk_update(changed, ["full_path", "search_key"], batch_size=1000)


def move_stored_paths(old_path: str, new_path: str) -> dict[str, int]:
    """Every stored unit path under `old_path` now starts with `new_path`: the unit tree and every model that
    stores the path of its unit for the scope filter (its `SCOPE_PATH_FIELD`, by default `unit_path`), unless
    the model sets `SCOPE_PATH_FOLLOWS_UNIT = False`. Records of the past are left as they were: history rows
    (django-simple-history models) and the append-only audit log keep the path in force when they were written.
    Returns the rows changed per model label."""
    moved: dict[str, int] = {}
    for model in apps.get_models(include_auto_created=False):
        if not getattr(model, "SCOPE_PATH_FOLLOWS_UNIT", True) or issubclass(model, HistoricalChanges):
            continue
        field = unit_path_field(model)
        if field not in {f.name for f in model._meta.concrete_fields}:
            continue
        n = model._base_manager.filter(**{f"{field}__path_prefix": old_path}).update(
            **{field: Concat(Value(new_path), Substr(field, len(old_path) + 1))}
        )
        if n:
            moved[model._meta.label] = n
    return moved


def _reparent(unit: Unit, parent_code: str) -> None:
    old_parent = unit.parent
    parent = Unit.objects.filter(structure=unit.structure, code=parent_code, is_local=False).first()
    if parent is None or old_parent is None or parent.level != old_parent.level:
        raise CorrectionError(
            _("%(code)s is not a unit of the same level as the present parent.") % {"code": parent_code}
        )
    new_path = f"{parent.path}{_segment(unit.path)}{PATH_SEP}"
    if Unit.objects.filter(path=new_path).exists():
        raise CorrectionError(_("The new parent already has a unit with this code."))
    old_path = unit.path
    move_stored_paths(old_path, new_path)
    unit.parent = parent
    unit.path = new_path
    unit.save(update_fields=["parent", "path"])


@transaction.atomic
def corrections_apply(
    *, corrections: Iterable[UnitCorrection], applied_by: Any = None, applied_by_name: str = ""
) -> list[UnitCorrection]:
    """Apply recorded corrections, oldest effective date first, all or none.

    Each must still find its `old_value` in force. New codes may be exchanged within one call (two units
    swapping codes): a unit whose code another one takes is parked until its own correction comes."""
    today = today_vn()
    todo = sorted(
        UnitCorrection.objects.select_for_update().filter(pk__in=[c.pk for c in corrections]),
        key=lambda c: (c.effective_date, c.pk),
    )
    units = {u.pk: u for u in Unit.objects.select_for_update().filter(pk__in=[c.unit_id for c in todo])}
    parked: dict[int, str] = {}  # unit pk -> its code while another unit holds it
    recoding = {c.unit_id for c in todo if c.kind == CorrectionKind.RECODE}
    name = applied_by_name or (applied_by.get_username() if applied_by else "")
    for c in todo:
        unit = units[c.unit_id]
        label = f"{unit.code} ({c.get_kind_display()})"
        if c.is_applied:
            raise CorrectionError(_("%(c)s is already applied.") % {"c": label})
        if c.effective_date > today:
            raise CorrectionError(_("%(c)s is not in force before its effective date.") % {"c": label})
        value = parked.get(unit.pk, _current_value(unit, c.kind))
        if value != c.old_value:
            raise CorrectionError(
                _("%(c)s expects %(old)s but %(now)s is in force; record it again.")
                % {"c": label, "old": c.old_value, "now": value}
            )
        if c.kind == CorrectionKind.RENAME:
            word, rest = split_type(c.new_value)
            unit.name, unit.short_name, unit.unit_type = c.new_value, rest, word or unit.unit_type
            unit.save(update_fields=["name", "short_name", "unit_type"])
            _refresh_names(unit)
        elif c.kind == CorrectionKind.RECODE:
            found = Unit.objects.filter(structure=unit.structure, code=c.new_value).exclude(pk=unit.pk).first()
            if found is not None:
                if found.pk not in recoding or found.pk in parked:
                    raise CorrectionError(
                        _("Code %(code)s is held by %(name)s; give it a new code in the same step.")
                        % {"code": c.new_value, "name": found.name}
                    )
                holder = units[found.pk]
                parked[holder.pk] = holder.code
                holder.code = f"~{holder.pk}"
                holder.save(update_fields=["code"])
            parked.pop(unit.pk, None)
            unit.code = c.new_value
            unit.save(update_fields=["code"])
        else:
            _reparent(unit, c.new_value)
            _refresh_names(unit)
        c.applied_at = timezone.now()
        c.applied_by = applied_by
        c.applied_by_name = name
        c.save(update_fields=["applied_at", "applied_by", "applied_by_name"])
    if parked:
        raise CorrectionError(_("A unit was left without its code; apply the exchange together."))
    return todo


@transaction.atomic
def unit_correct(
    *,
    unit: Unit,
    kind: str,
    new_value: str,
    effective_date: dt.date,
    source_document: str,
    by: Any = None,
    by_name: str = "",
) -> UnitCorrection:
    """Record a correction and apply it at once (the command line)."""
    c = correction_record(
        unit=unit, kind=kind, new_value=new_value, effective_date=effective_date,
        source_document=source_document, recorded_by=by, recorded_by_name=by_name,
    )  # fmt: skip
    corrections_apply(corrections=[c], applied_by=by, applied_by_name=by_name)
    c.refresh_from_db()
    return c
