"""Decisions on duplicate candidates, and merges that keep history and can be undone.

The rows of a merge are written by the registry (`treem.registry.services.merge`: it checks who may merge, moves
every row that points at the other child, marks it merged and writes the audit row). Matching keeps the `Merge` row
(both records' values before it and every moved row, for undo) and the candidate's decision.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from treem.accounts.models import User
from treem.registry.models import Child
from treem.registry.services import merge as registry_merge
from treem.registry.services.merge import MERGEABLE_FIELDS, snapshot

from .models import CandidateStatus, MatchCandidate, Merge

__all__ = ["MERGEABLE_FIELDS", "check_can_decide", "decide", "merge_children", "snapshot", "undo_merge"]

# Change reasons written into the children's history (stored data, so in Vietnamese like the records).
REASON_MERGE = "Gộp hồ sơ trùng #{other} vào hồ sơ #{survivor}"
REASON_AUTO_MERGE = "Tự động gộp hồ sơ trùng #{other} vào hồ sơ #{survivor} (cùng số định danh, xác suất {p:.3f})"
REASON_UNDO = "Hoàn tác gộp hồ sơ #{other} vào hồ sơ #{survivor}"
KEEP = (MatchCandidate, Merge)  # matching's own rows stay with the child they name


def _actor_or_none(actor: User | None) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def check_can_decide(actor: User, *children: Child) -> None:
    """A person decides on a pair only if they may merge the two records (see registry.services.merge)."""
    registry_merge.check_can_merge(actor, *children)


@transaction.atomic
def merge_children(
    *,
    actor: User | None,
    survivor: Child,
    other: Child,
    chosen_values: dict[str, Any] | None = None,
    candidate: MatchCandidate | None = None,
    automatic: bool = False,
) -> Merge:
    """Merge `other` into `survivor` (registry.services.merge) and remember it for undo.

    `chosen_values` maps field names of `MERGEABLE_FIELDS` to the survivor's new values. A person must be allowed
    to merge both records; only an automatic merge (the matcher, above the threshold with the same valid ID) runs
    without an actor.
    """
    p = candidate.probability if candidate is not None else 1.0
    template = REASON_AUTO_MERGE if automatic else REASON_MERGE
    result = registry_merge.children_merge(
        actor=actor, survivor=survivor, other=other, chosen_values=chosen_values, automatic=automatic and actor is None,
        reason=template.format(other=other.pk, survivor=survivor.pk, p=p), keep=KEEP,
    )  # fmt: skip
    survivor.refresh_from_db()
    other.refresh_from_db()
    merge = Merge.objects.create(
        survivor=survivor, other=other, candidate=candidate, automatic=automatic, chosen_values=result.chosen_values,
        survivor_before=result.survivor_before, other_before=result.other_before, moved=result.moved,
        survivor_version=result.survivor_version, merged_by=_actor_or_none(actor),
    )  # fmt: skip
    if candidate is not None:
        candidate.status, candidate.decided_by, candidate.decided_at = (
            CandidateStatus.MERGED, _actor_or_none(actor), timezone.now()
        )  # fmt: skip
        candidate.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    return merge


@transaction.atomic
def undo_merge(*, actor: User, merge: Merge) -> Merge:
    """Put both records back as they were before the merge: field values and every moved row.

    Refused when the surviving record was edited after the merge (undoing would silently drop that edit).
    """
    survivor = Child.objects.get(pk=merge.survivor_id)
    other = Child.objects.get(pk=merge.other_id)
    registry_merge.check_can_merge(actor, survivor, other)
    if merge.undone_at is not None:
        raise ValidationError(_("This merge was already undone."))
    registry_merge.children_unmerge(
        actor=actor, survivor=survivor, other=other, reason=REASON_UNDO.format(other=other.pk, survivor=survivor.pk),
        merge=registry_merge.MergeResult(
            chosen_values=merge.chosen_values, survivor_before=merge.survivor_before, other_before=merge.other_before,
            moved=merge.moved, survivor_version=merge.survivor_version,
        ),
    )  # fmt: skip
    merge.undone_at, merge.undone_by = timezone.now(), _actor_or_none(actor)
    merge.save(update_fields=["undone_at", "undone_by"])
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
    actor: User,
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
