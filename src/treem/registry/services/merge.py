"""Merging two records of one child, and putting them back apart. The only code that writes a merge's rows.

A merge never deletes. The surviving child takes the chosen values; every row elsewhere that points at the other
child (guardians, circumstances, and whatever later apps add: found by walking the reverse relations of `Child`)
is moved to the survivor, each move saved through simple_history with a change reason; the other child is marked
`merged_into` the survivor (the one record of "merged"). The result keeps both children's field values from before
and the id of every moved row, so `children_unmerge` puts everything back.

Who may merge: a person with the capability `registry.merge` who may edit both records, and whom every registered
merge guard lets through (apps above the registry register one in their AppConfig.ready(): cases refuses a merge
that would move cases the person may not see). Every merge and undo writes an audit row naming both children.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from simple_history.models import HistoricalChanges

from treem.accounts import capabilities as cap
from treem.accounts.models import User
from treem.audit.models import Action
from treem.audit.services import audit_record

from ..models import Child, Residence
from ._common import _save, check_can_edit, derive_child

# Values a person may pick, field by field, on the side-by-side page; the place and household stay the survivor's.
MERGEABLE_FIELDS = (
    "full_name", "date_of_birth", "dob_precision", "sex", "ethnicity", "personal_id", "birth_registered",
    "birth_registration_date", "health_insurance_number", "school_status", "disability", "nutrition", "note",
)  # fmt: skip
# Change reason of the merged-away record and the audit summaries (stored data, so in Vietnamese like the records).
REASON_MERGED_AWAY = "Hồ sơ đã được gộp vào hồ sơ #{survivor}"
AUDIT_MERGE = "Gộp hồ sơ trẻ em #{other} vào hồ sơ #{survivor}"
AUDIT_UNMERGE = "Hoàn tác gộp hồ sơ trẻ em #{other} vào hồ sơ #{survivor}"

# A guard is called with (actor or None for the system, the children) and raises PermissionDenied to refuse.
MergeGuard = Callable[[Any, tuple[Child, ...]], None]
_guards: list[MergeGuard] = []


def register_merge_guard(guard: MergeGuard) -> None:
    """Called from an AppConfig.ready(): `guard` is consulted before every merge and undo."""
    if guard not in _guards:
        _guards.append(guard)


def check_can_merge(actor: User | None, *children: Child, automatic: bool = False) -> None:
    """Raise PermissionDenied unless `actor` may merge (or un-merge) these children.

    `automatic`: the matcher acting as the system (actor None); only the guards are asked then."""
    if not (automatic and actor is None):
        if actor is None or not getattr(actor, "is_authenticated", False):
            raise PermissionDenied
        if not actor.has_capability(cap.REGISTRY_MERGE):
            raise PermissionDenied(_("Deciding whether two records are the same child is the commune officer's work."))
        for child in children:
            check_can_edit(actor, child.village or child.commune)
    for guard in _guards:
        guard(actor, children)


def can_merge(actor: User, *children: Child) -> bool:
    try:
        check_can_merge(actor, *children)
    except PermissionDenied:
        return False
    return True


# --- snapshots ---------------------------------------------------------------------------------------------------


def snapshot(child: Child) -> dict[str, Any]:
    """Every stored field of the child as JSON-safe values (dates as ISO text)."""
    out: dict[str, Any] = {}
    for f in Child._meta.concrete_fields:
        value = getattr(child, f.attname)
        out[f.attname] = value.isoformat() if isinstance(value, dt.date) else value
    return out


def _restore(child: Child, values: dict[str, Any]) -> None:
    for f in Child._meta.concrete_fields:
        if f.primary_key or f.attname not in values or f.attname == "updated_at":
            continue
        value = values[f.attname]
        if value is not None and isinstance(f, models.DateTimeField):
            value = dt.datetime.fromisoformat(value)
        elif value is not None and isinstance(f, models.DateField):
            value = dt.date.fromisoformat(value)
        setattr(child, f.attname, value)


def latest_version(child: Child) -> int | None:
    """The id of the child's newest history row: a merge remembers it to notice later edits."""
    return child.history.order_by("-history_id").values_list("history_id", flat=True).first()


# --- what points at a child --------------------------------------------------------------------------------------


def child_relations(
    keep: tuple[type[models.Model], ...] = (),
) -> Iterator[tuple[type[models.Model], models.ForeignKey]]:
    """(model, foreign key) of every table whose rows point at a child, except history tables and `keep`."""
    for rel in Child._meta.get_fields(include_hidden=True):
        if not (
            isinstance(rel, models.ForeignObjectRel)
            and rel.auto_created
            and not rel.concrete
            and (rel.one_to_many or rel.one_to_one)
        ):
            continue
        model, fk = rel.related_model, rel.field
        assert model is not None  # noqa: S101 - a reverse relation has the model that points here
        assert isinstance(fk, models.ForeignKey)  # noqa: S101 - a reverse one-to-many (or one) is a foreign key
        if issubclass(model, HistoricalChanges) or model in keep or model is Residence:
            continue
        yield model, fk


def _attname(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)  # noqa: S101 - a uniqueness rule names concrete fields
    return field.attname


def _would_clash(model: type[models.Model], fk: models.ForeignKey, row: models.Model, survivor: Child) -> bool:
    """True when moving the row would break a uniqueness rule (the survivor already has the same guardian…)."""
    sets: list[tuple[tuple[str, ...], Any]] = [((fk.name,), None)] if fk.unique else []
    sets += [(tuple(fields), None) for fields in model._meta.unique_together]
    sets += [(tuple(c.fields), c.condition) for c in model._meta.constraints if isinstance(c, models.UniqueConstraint)]
    for fields, condition in sets:
        if fk.name not in fields and fk.attname not in fields:
            continue
        lookup = {name: getattr(row, _attname(model, name)) for name in fields}
        lookup[fk.name] = survivor.pk
        qs = model._base_manager.filter(**lookup)
        if condition is not None:
            qs = qs.filter(condition)
        if qs.exists():
            return True
    return False


def _move_rows(
    actor: User | None, source: Child, target: Child, reason: str, keep: tuple[type[models.Model], ...]
) -> list[list[Any]]:
    moved: list[list[Any]] = []
    for model, fk in child_relations(keep):
        for row in model._base_manager.filter(**{fk.attname: source.pk}).order_by("pk"):
            if _would_clash(model, fk, row, target):
                continue  # the same fact is already on the survivor: the other's copy stays with the other record
            setattr(row, fk.attname, target.pk)
            _save(row, actor, reason)
            moved.append([model._meta.label_lower, fk.name, row.pk])
    return moved


@dataclass(frozen=True)
class MoveCount:
    """How many rows of one kind a merge would move to the surviving record (guardians, circumstances, cases…)."""

    model: type[models.Model]
    count: int

    @property
    def label(self) -> str:
        meta = self.model._meta
        return str(meta.verbose_name if self.count == 1 else meta.verbose_name_plural)


def merge_preview(*, survivor: Child, other: Child, keep: tuple[type[models.Model], ...] = ()) -> list[MoveCount]:
    """What `children_merge` would move from `other` to `survivor`, by kind (for the page that asks to confirm);
    rows that the survivor already has (the same guardian…) stay with the other record and are not counted."""
    counts: dict[type[models.Model], int] = {}
    for model, fk in child_relations(keep):
        for row in model._base_manager.filter(**{fk.attname: other.pk}).order_by("pk"):
            if not _would_clash(model, fk, row, survivor):
                counts[model] = counts.get(model, 0) + 1
    return [MoveCount(model, n) for model, n in counts.items()]


# --- merge and undo ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MergeResult:
    """What an undo needs: both records' values before the merge, the moved rows, the survivor's version after."""

    chosen_values: dict[str, Any]
    survivor_before: dict[str, Any]
    other_before: dict[str, Any]
    moved: list[list[Any]]
    survivor_version: int | None


def _audit(actor: User | None, template: str, survivor: Child, other: Child, **extra: Any) -> None:
    audit_record(
        actor=actor, action=Action.CHANGE, target_type="child", target_id=survivor.pk, unit_path=survivor.unit_path,
        summary=template.format(other=other.pk, survivor=survivor.pk),
        extra={"survivor": survivor.pk, "other": other.pk, "other_unit_path": other.unit_path, **extra},
    )  # fmt: skip


@transaction.atomic
def children_merge(
    *,
    actor: User | None,
    survivor: Child,
    other: Child,
    reason: str,
    chosen_values: dict[str, Any] | None = None,
    automatic: bool = False,
    keep: tuple[type[models.Model], ...] = (),
) -> MergeResult:
    """Merge `other` into `survivor`: chosen values onto the survivor, everything pointing at `other` moved over
    (except rows of the models in `keep`), `other` marked merged into the survivor; `reason` goes into the history.

    `chosen_values` maps field names of `MERGEABLE_FIELDS` to the survivor's new values. Only an automatic merge (the
    matcher, as the system) runs without an actor."""
    check_can_merge(actor, survivor, other, automatic=automatic)
    survivor = Child.objects.select_for_update().get(pk=survivor.pk)
    other = Child.objects.select_for_update().get(pk=other.pk)
    if survivor.pk == other.pk:
        raise ValidationError(_("A record cannot be merged with itself."))
    if survivor.merged_into_id is not None or other.merged_into_id is not None:
        raise ValidationError(_("One of these records was already merged into another."))
    unknown = set(chosen_values or {}) - set(MERGEABLE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be chosen: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    survivor_before, other_before = snapshot(survivor), snapshot(other)

    moved = _move_rows(actor, other, survivor, reason, keep)
    values = dict(chosen_values or {})
    if values.get("personal_id") and values["personal_id"] == other.personal_id:
        other.personal_id = None  # one ID belongs to one record: the survivor takes it
    for name, value in values.items():
        setattr(survivor, name, value)
    other.merged_into = survivor
    _save(derive_child(other), actor, REASON_MERGED_AWAY.format(survivor=survivor.pk))
    derive_child(survivor)
    survivor.full_clean(exclude=["unit_path", "name_key", "search_text"])
    _save(survivor, actor, reason)
    _audit(actor, AUDIT_MERGE, survivor, other, moved=len(moved), automatic=automatic)
    return MergeResult(
        chosen_values={k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in values.items()},
        survivor_before=survivor_before, other_before=other_before, moved=moved,
        survivor_version=latest_version(survivor),
    )  # fmt: skip


@transaction.atomic
def children_unmerge(
    *,
    actor: User,
    survivor: Child,
    other: Child,
    merge: MergeResult,
    reason: str,
) -> None:
    """Put both records back as they were before `merge`: field values and every moved row.

    Refused when the surviving record was edited after the merge (undoing would silently drop that edit)."""
    check_can_merge(actor, survivor, other)
    survivor = Child.objects.select_for_update().get(pk=survivor.pk)
    other = Child.objects.select_for_update().get(pk=other.pk)
    if other.merged_into_id != survivor.pk:
        raise ValidationError(_("This merge was already undone."))
    if merge.survivor_version is not None and latest_version(survivor) != merge.survivor_version:
        raise ValidationError(_("The record was changed after the merge; undo those changes first or edit it."))
    for label, field_name, pk in reversed(merge.moved):
        model = apps.get_model(label)
        fk = model._meta.get_field(field_name)
        row = model._base_manager.filter(pk=pk, **{fk.attname: survivor.pk}).first()
        if row is not None:
            setattr(row, fk.attname, other.pk)
            _save(row, actor, reason)
    # The values before the merge, derived ones included, exactly as they were stored.
    _restore(survivor, merge.survivor_before)
    _save(survivor, actor, reason)  # first, so that an ID the survivor took is free again for the other
    _restore(other, merge.other_before)
    _save(other, actor, reason)
    _audit(actor, AUDIT_UNMERGE, survivor, other, moved=len(merge.moved))
