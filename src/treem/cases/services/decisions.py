"""The commune chairman's decisions (NĐ 56 Arts. 28.4, 30.1b–c, 32.2–3): who takes them (the chairman, or a
vice-chairman "KT. Chủ tịch" under a recorded delegation), the signature recorded with them, the refused closure,
and the delegations themselves."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from treem.accounts import capabilities as cap
from treem.audit.models import Action
from treem.audit.services import audit_record
from treem.units.models import Level, Unit

from ..access import Authority, can_work_on, decision_authority, may_record_delegation, signature
from ..models import (
    DECISION_EVENT_KINDS,
    Case,
    CaseEvent,
    Delegation,
    EventKind,
    Status,
)
from .common import audit_case

# The chairman's decisions among the steps: taken by `access.decision_authority`, signed in the capacity recorded.
DECISION_STEPS = (Status.PLAN_APPROVED, Status.CLOSED)
# Closure grounds (NĐ 56 Art. 30.1b): after the review (Mẫu 06), or, before any assessment, "not a protection case"
# once the verification found so (with the reason).
CLOSURE_SAFE = "safe_stable"
CLOSURE_NOT_A_CASE = "not_protection_case"


def check_decider(actor: Any, case: Case, to: str, at: dt.datetime | None) -> Authority:
    """NĐ 56 Arts. 28.4 and 30.1b–c: the commune chairman approves the plan and decides the closure; a vice-chairman
    only "KT. Chủ tịch" under a delegation valid on the decision's day."""
    authority = decision_authority(actor, case, at)
    if authority is None:
        if to == Status.PLAN_APPROVED:
            raise PermissionDenied(_("Only the commune chairman approves the plan."))
        raise PermissionDenied(_("Only the commune chairman decides the closure of a case."))
    return authority


def decision_data(actor: Any, case: Case, to: str, at: dt.datetime, data: dict[str, Any]) -> dict[str, Any]:
    """The step's recorded content, with what the decision needs: the signer's capacity, the closure's ground."""
    if to in DECISION_STEPS:
        authority = check_decider(actor, case, to, at)
        data = {**data, "signature": signature(actor, authority)}
    if to == Status.CLOSURE_PROPOSED:
        data = {**data, "ground": CLOSURE_SAFE if case.status == Status.REVIEW else CLOSURE_NOT_A_CASE}
    if to == Status.CLOSED:
        proposal = case.events.filter(to_status=Status.CLOSURE_PROPOSED).order_by("-at", "-pk").first()
        data = {**data, "proposal_event": proposal.pk if proposal else None,
                "ground": proposal.data.get("ground", "") if proposal else ""}  # fmt: skip
    return data


def check_event_actor(*, actor: Any, case: Case, kind: str, at: dt.datetime, data: dict[str, Any]) -> dict[str, Any]:
    """A separation, its extension and its end are the chairman's decisions (a vice-chairman's only under a
    delegation); the other events are the assigned workers'. Returns the event's data with the decision's signature.
    Ending a separation needs the family's re-assessment (Mẫu 03) recorded since it began (Art. 32.3)."""
    if kind in DECISION_EVENT_KINDS:
        authority = decision_authority(actor, case, at)
        if authority is None:
            raise PermissionDenied(
                _("Only the commune chairman decides a separation, its extension and its end (NĐ 56 Art. 32).")
            )
        if kind == EventKind.SEPARATION_END:
            check_reassessment_before_end(case, at)
        return {**data, "signature": signature(actor, authority)}
    if not can_work_on(actor, case):
        raise PermissionDenied(_("Only the case's assigned workers record its events."))
    return data


def check_reassessment_before_end(case: Case, at: dt.datetime) -> None:
    """NĐ 56 Art. 32.3: the separation ends once the parents' or caregiver's safety is re-assessed (Mẫu 03)."""
    start = case.events.filter(kind=EventKind.SEPARATION, at__lte=at).order_by("-at", "-pk").first()
    if start is None:
        raise ValidationError(_("There is no separation to end."))
    reassessed = (
        case.events.filter(at__gte=start.at, at__lte=at)
        .filter(
            Q(kind=EventKind.SEPARATION_REVIEW)
            | Q(kind=EventKind.TRANSITION, to_status=Status.COMPREHENSIVE_ASSESSMENT)
        )
        .exists()
    )
    if not reassessed:
        raise ValidationError(
            _("Record the re-assessment of the family's safety (Form 03) before ending the separation.")
        )


@transaction.atomic
def closure_refuse(*, actor: Any, case: Case, note: str, at: dt.datetime | None = None, request: Any = None) -> Case:
    """The chairman does not close: the case goes back to the step it was proposed from, with the reason."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    at = at or timezone.now()
    if case.status != Status.CLOSURE_PROPOSED:
        raise ValidationError(_("No closure is proposed for this case."))
    authority = check_decider(actor, case, Status.CLOSED, at)
    if not note.strip():
        raise ValidationError(_("Say why the case is not closed."))
    if at < case.status_changed_at:
        raise ValidationError(_("A step cannot be dated before the previous one."))
    proposal = case.events.filter(to_status=Status.CLOSURE_PROPOSED).order_by("-at", "-pk").first()
    back = proposal.from_status if proposal and proposal.from_status else Status.REVIEW
    CaseEvent.objects.create(
        case=case, kind=EventKind.CLOSURE_REFUSED, from_status=case.status, to_status=back, at=at, by=actor,
        note=note, data={"signature": signature(actor, authority)},
    )  # fmt: skip
    case.status, case.status_changed_at = back, at
    case.save(update_fields=["status", "status_changed_at"])
    audit_case(actor, case, Action.TRANSITION, f"Không đồng ý kết thúc vụ việc → {Status(back).label}", request)
    return case


@transaction.atomic
def delegation_grant(
    *, actor: Any, commune: Unit, delegate: Any, valid_from: dt.date, valid_to: dt.date, document: str,
    request: Any = None,
) -> Delegation:  # fmt: skip
    """Record the chairman's delegation (the document giving it) to a vice-chairman of the same commune."""
    if not may_record_delegation(actor, commune):
        raise PermissionDenied(_("Only the commune chairman or an administrator records a delegation."))
    if commune.level != Level.COMMUNE:
        raise ValidationError({"commune": _("A delegation is given in a commune.")})
    if not (
        delegate.is_active and delegate.unit_id == commune.pk and delegate.has_capability(cap.CASES_APPROVE_ON_BEHALF)
    ):
        raise ValidationError({"delegate": _("The delegate must be a vice-chairman of this commune.")})
    if valid_to < valid_from:
        raise ValidationError({"valid_to": _("The end date is before the start date.")})
    document = document.strip()
    if not document:
        raise ValidationError({"document": _("Write the document that gives the delegation (number, date).")})
    delegation = Delegation(
        commune=commune, delegate=delegate, valid_from=valid_from, valid_to=valid_to, document=document,
        created_by=actor,
    )  # fmt: skip
    delegation.full_clean()
    delegation.save()
    audit_record(
        actor=actor, action=Action.CREATE, target_type="delegation", target_id=delegation.pk, unit_path=commune.path,
        summary=(
            f"Ủy quyền ký thay Chủ tịch cho {delegate.get_full_name() or delegate.username} "
            f"từ {valid_from:%d/%m/%Y} đến {valid_to:%d/%m/%Y} ({document})"
        ),
        request=request,
    )  # fmt: skip
    return delegation


@transaction.atomic
def delegation_revoke(*, actor: Any, delegation: Delegation, request: Any = None) -> Delegation:
    commune = delegation.commune
    if not may_record_delegation(actor, commune):
        raise PermissionDenied(_("Only the commune chairman or an administrator records a delegation."))
    if delegation.revoked_at is None:
        delegation.revoked_at = timezone.now()
        delegation.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor, action=Action.CHANGE, target_type="delegation", target_id=delegation.pk,
            unit_path=commune.path, summary=f"Thu hồi ủy quyền ký thay Chủ tịch ({delegation.document})",
            request=request,
        )  # fmt: skip
    return delegation
