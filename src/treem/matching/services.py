"""Decisions on duplicate candidates, and merges that keep history and can be undone.

A merge never deletes. The surviving child takes the chosen values; every row elsewhere that points at the other
child (guardians, circumstances, and whatever later apps add: found by walking the reverse relations of `Child`)
is moved to the survivor, each move saved through simple_history with a change reason. The `Merge` row keeps both
children's field values from before and the id of every moved row, so `undo_merge` puts everything back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.models import HistoricalChanges

from treem.core.text import fold
from treem.registry.models import Child
from treem.registry.services import check_can_edit, child_search_text

from .models import CandidateStatus, MatchCandidate, Merge

# Values a person may pick, field by field, on the side-by-side page; the place and household stay the survivor's.
MERGEABLE_FIELDS = (
    "full_name", "date_of_birth", "dob_precision", "sex", "ethnicity", "personal_id", "birth_registered",
    "birth_registration_date", "health_insurance_number", "school_status", "disability", "nutrition", "note",
)  # fmt: skip
# Change reasons written into the children's history (stored data, so in Vietnamese like the records).
REASON_MERGE = "Gộp hồ sơ trùng #{other} vào hồ sơ #{survivor}"
REASON_AUTO_MERGE = "Tự động gộp hồ sơ trùng #{other} vào hồ sơ #{survivor} (cùng số định danh, xác suất {p:.3f})"
REASON_MERGED_AWAY = "Hồ sơ đã được gộp vào hồ sơ #{survivor}"
REASON_UNDO = "Hoàn tác gộp hồ sơ #{other} vào hồ sơ #{survivor}"


def _actor_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _save(obj: models.Model, actor: Any, reason: str, **kwargs: Any) -> None:
    obj._history_user = _actor_or_none(actor)  # type: ignore[attr-defined]
    obj._change_reason = reason  # type: ignore[attr-defined]
    obj.save(**kwargs)


def check_can_decide(actor: Any, *children: Child) -> None:
    """A person decides on a pair only if they may edit both children's records."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied
    for child in children:
        check_can_edit(actor, child.village or child.commune)


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


# --- what points at a child --------------------------------------------------------------------------------------


def child_relations() -> Iterator[tuple[type[models.Model], models.ForeignKey]]:
    """(model, foreign key) of every table whose rows point at a child, except history tables and this app's."""
    for rel in Child._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)):
            continue
        model = rel.related_model
        if issubclass(model, HistoricalChanges) or model._meta.app_label == "matching":
            continue
        yield model, rel.field


def _would_clash(model: type[models.Model], fk: models.ForeignKey, row: models.Model, survivor: Child) -> bool:
    """True when moving the row would break a uniqueness rule (the survivor already has the same guardian…)."""
    sets: list[tuple[tuple[str, ...], Any]] = [((fk.name,), None)] if fk.unique else []
    sets += [(tuple(fields), None) for fields in model._meta.unique_together]
    sets += [(tuple(c.fields), c.condition) for c in model._meta.constraints if isinstance(c, models.UniqueConstraint)]
    for fields, condition in sets:
        if fk.name not in fields and fk.attname not in fields:
            continue
        lookup = {name: getattr(row, model._meta.get_field(name).attname) for name in fields}
        lookup[fk.name] = survivor.pk
        qs = model._base_manager.filter(**lookup)
        if condition is not None:
            qs = qs.filter(condition)
        if qs.exists():
            return True
    return False


def _move_rows(actor: Any, source: Child, target: Child, reason: str) -> list[list[Any]]:
    moved: list[list[Any]] = []
    for model, fk in child_relations():
        for row in model._base_manager.filter(**{fk.attname: source.pk}).order_by("pk"):
            if _would_clash(model, fk, row, target):
                continue  # the same fact is already on the survivor: the other's copy stays with the other record
            setattr(row, fk.attname, target.pk)
            _save(row, actor, reason)
            moved.append([model._meta.label_lower, fk.name, row.pk])
    return moved


# --- merge and undo ----------------------------------------------------------------------------------------------


def is_merged_away(child: Child) -> bool:
    return Merge.objects.filter(other=child, undone_at__isnull=True).exists()


@transaction.atomic
def merge_children(
    *,
    actor: Any,
    survivor: Child,
    other: Child,
    chosen_values: dict[str, Any] | None = None,
    candidate: MatchCandidate | None = None,
    automatic: bool = False,
) -> Merge:
    """Merge `other` into `survivor`: chosen values onto the survivor, everything pointing at `other` moved over.

    `chosen_values` maps field names of `MERGEABLE_FIELDS` to the survivor's new values. A person must be allowed
    to edit both records; only an automatic merge (the matcher, above the threshold with the same valid ID) may run
    without an actor.
    """
    if actor is not None or not automatic:
        check_can_decide(actor, survivor, other)
    if survivor.pk == other.pk:
        raise ValidationError(_("A record cannot be merged with itself."))
    if is_merged_away(survivor) or is_merged_away(other):
        raise ValidationError(_("One of these records was already merged into another."))
    unknown = set(chosen_values or {}) - set(MERGEABLE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be chosen: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    p = candidate.probability if candidate is not None else 1.0
    template = REASON_AUTO_MERGE if automatic else REASON_MERGE
    reason = template.format(other=other.pk, survivor=survivor.pk, p=p)
    survivor_before, other_before = snapshot(survivor), snapshot(other)

    moved = _move_rows(actor, other, survivor, reason)
    values = dict(chosen_values or {})
    if values.get("personal_id") and values["personal_id"] == other.personal_id:
        other.personal_id = None  # one ID belongs to one record: the survivor takes it
    for name, value in values.items():
        setattr(survivor, name, value)
    survivor.name_key = fold(survivor.full_name)
    survivor.personal_id = survivor.personal_id or None
    other.search_text = child_search_text(other)
    other.merged_into = survivor
    _save(other, actor, REASON_MERGED_AWAY.format(survivor=survivor.pk))
    survivor.full_clean(exclude=["unit_path", "name_key", "search_text"])
    survivor.search_text = child_search_text(survivor)
    _save(survivor, actor, reason)

    merge = Merge.objects.create(
        survivor=survivor, other=other, candidate=candidate, automatic=automatic,
        chosen_values={k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in values.items()},
        survivor_before=survivor_before, other_before=other_before, moved=moved,
        survivor_version=survivor.history.order_by("-history_id").values_list("history_id", flat=True).first(),
        merged_by=_actor_or_none(actor),
    )  # fmt: skip
    if candidate is not None:
        candidate.status, candidate.decided_by, candidate.decided_at = (
            CandidateStatus.MERGED, _actor_or_none(actor), timezone.now()
        )  # fmt: skip
        candidate.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    return merge


@transaction.atomic
def undo_merge(*, actor: Any, merge: Merge) -> Merge:
    """Put both records back as they were before the merge: field values and every moved row.

    Refused when the surviving record was edited after the merge (undoing would silently drop that edit).
    """
    survivor = Child.objects.get(pk=merge.survivor_id)
    other = Child.objects.get(pk=merge.other_id)
    check_can_decide(actor, survivor, other)
    if merge.undone_at is not None:
        raise ValidationError(_("This merge was already undone."))
    latest = survivor.history.order_by("-history_id").values_list("history_id", flat=True).first()
    if merge.survivor_version is not None and latest != merge.survivor_version:
        raise ValidationError(_("The record was changed after the merge; undo those changes first or edit it."))
    reason = REASON_UNDO.format(other=other.pk, survivor=survivor.pk)
    for label, field_name, pk in reversed(merge.moved):
        model = apps.get_model(label)
        fk = model._meta.get_field(field_name)
        row = model._base_manager.filter(pk=pk, **{fk.attname: survivor.pk}).first()
        if row is not None:
            setattr(row, fk.attname, other.pk)
            _save(row, actor, reason)
    _restore(survivor, merge.survivor_before)
    _save(survivor, actor, reason)  # first, so that an ID the survivor took is free again for the other
    _restore(other, merge.other_before)
    _save(other, actor, reason)
    merge.undone_at, merge.undone_by, merge.other_hidden = timezone.now(), _actor_or_none(actor), False
    merge.save(update_fields=["undone_at", "undone_by", "other_hidden"])
    if merge.candidate_id:
        # A person has to look at it again; it is never merged automatically a second time.
        MatchCandidate.objects.filter(pk=merge.candidate_id).update(
            status=CandidateStatus.UNSURE, decided_by=_actor_or_none(actor), decided_at=timezone.now()
        )
    return merge


# --- decisions -------------------------------------------------------------------------------------------------------

DECISIONS = (CandidateStatus.MERGED, CandidateStatus.DIFFERENT, CandidateStatus.UNSURE)


@transaction.atomic
def decide(
    *,
    actor: Any,
    candidate: MatchCandidate,
    decision: str,
    keep: Child | None = None,
    chosen_values: dict[str, Any] | None = None,
) -> MatchCandidate:
    """Record the officer's decision on a pair: same child (merge, keeping `keep`), different children, unsure.

    "Different children" is remembered: the pair is never suggested again, whatever later runs score.
    """
    child_a, child_b = candidate.child_a, candidate.child_b
    check_can_decide(actor, child_a, child_b)
    if decision not in DECISIONS:
        raise ValidationError(_("Unknown decision."))
    if candidate.status == CandidateStatus.MERGED:
        raise ValidationError(_("These records were already merged."))
    if decision == CandidateStatus.MERGED:
        survivor = keep or child_a
        if survivor.pk not in (child_a.pk, child_b.pk):
            raise ValidationError(_("Keep one of the two records."))
        other = child_b if survivor.pk == child_a.pk else child_a
        merge_children(actor=actor, survivor=survivor, other=other, chosen_values=chosen_values, candidate=candidate)
        candidate.refresh_from_db()
        return candidate
    candidate.status, candidate.decided_by, candidate.decided_at = decision, _actor_or_none(actor), timezone.now()
    candidate.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    return candidate
