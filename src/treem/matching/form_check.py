"""The duplicate check of the registry's child form (registered in `MatchingConfig.ready()`).

No second matcher: the proposed child and a few children of the user's scope become engine records and are scored by
`engine.score_against` (the run's comparisons, weights and twin guard). Which children are worth scoring is the
database's part, like blocking in a run: the same folded full name, a date of birth the same or a day off (or day
and month swapped), or the same personal ID. A pair decided before (different, merged) is not proposed again, and
"this is a different child" is stored as a decided pair, so a later run skips it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Q
from django.utils import timezone

from treem.registry.duplicates import ChildProposal, LikelyDuplicate
from treem.registry.models import Child
from treem.registry.selectors import children_for_user
from treem.registry.services import name_key

from . import engine
from .models import CandidateStatus, MatchCandidate
from .prepare import near_days
from .runs import child_records

MAX_COMPARED = 500  # children scored for one form at most (a very common name and date in a whole province)
PROPOSAL_ID = "proposal"


def _record(p: ChildProposal) -> engine.Record:
    h = p.household
    return engine.Record(
        record_id=PROPOSAL_ID, full_name=p.full_name, date_of_birth=p.date_of_birth.isoformat() if p.date_of_birth
        else "", sex=p.sex, ethnicity=p.ethnicity, personal_id=p.personal_id or "",
        guardian_name=";".join(p.guardian_names), village=str(h.village_id or ""), commune_code=str(h.commune_id),
        household_code=f"h{h.pk}",
    )  # fmt: skip


def _decided_with(child_pk: int) -> set[int]:
    decided = MatchCandidate.objects.exclude(status__in=(CandidateStatus.PENDING, CandidateStatus.UNSURE))
    pairs = decided.filter(Q(child_a_id=child_pk) | Q(child_b_id=child_pk)).values_list("child_a_id", "child_b_id")
    return {a if b == child_pk else b for a, b in pairs}


class MatcherDuplicateChecker:
    def find(self, user: Any, proposal: ChildProposal) -> list[LikelyDuplicate]:
        near = Q(name_key=name_key(proposal.full_name))
        if proposal.date_of_birth is not None:
            near |= Q(date_of_birth__in=near_days(proposal.date_of_birth))
        if proposal.personal_id:
            near |= Q(personal_id=proposal.personal_id)
        qs = children_for_user(user).filter(near)
        if proposal.child_pk is not None:
            qs = qs.exclude(pk=proposal.child_pk).exclude(pk__in=_decided_with(proposal.child_pk))
        ids = list(qs.order_by("pk").values_list("pk", flat=True)[:MAX_COMPARED])
        if not ids:
            return []
        records = list(child_records(Child.objects.filter(pk__in=ids)))
        pairs = engine.score_against(_record(proposal), records)
        children = Child.objects.select_related("household", "village", "commune").in_bulk(ids)
        hits = []
        for record, pair in zip(records, pairs, strict=True):
            child = children[int(record.record_id)]
            same_id = bool(proposal.personal_id) and child.personal_id == proposal.personal_id
            if same_id or (pair.probability >= engine.REVIEW and not pair.twin_guard):
                hits.append(LikelyDuplicate(child=child, probability=pair.probability, same_id=same_id))
        return hits

    def remember_different(self, actor: Any, child: Child, others: Sequence[Child]) -> None:
        """Each pair decided "different children" by `actor` now: never proposed again by a run."""
        now = timezone.now()
        decided_by = actor if getattr(actor, "is_authenticated", False) else None
        records = {
            r.record_id: r for r in child_records(Child.objects.filter(pk__in=[child.pk, *(o.pk for o in others)]))
        }
        for other in others:
            a, b = sorted((child.pk, other.pk))
            pair = engine.score_pair(records[str(a)], records[str(b)])
            decision = {"status": CandidateStatus.DIFFERENT, "decided_by": decided_by, "decided_at": now}
            MatchCandidate.objects.update_or_create(
                child_a_id=a, child_b_id=b, defaults=decision,
                create_defaults={**decision, "probability": pair.probability,
                                 "features": {**pair.features, "twin_guard": pair.twin_guard}},
            )  # fmt: skip


checker = MatcherDuplicateChecker()
