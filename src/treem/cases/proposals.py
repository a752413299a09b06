"""Group proposals: what a confirmed abuse case proposes, and the officer's decision (confirm files the child in
the group through the registry service; reject records why). Each write is audited in its transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from treem.accounts import capabilities as cap
from treem.accounts.scope import unit_in_scope
from treem.audit.models import Action
from treem.audit.services import audit_record
from treem.core.dates import date_vn

from .access import can_see_case, can_work_on
from .models import Case, GroupProposal, GroupRule, ProposalStatus

if TYPE_CHECKING:
    from treem.accounts.models import User


def _audit(actor: Any, proposal: GroupProposal, action: str, summary: str, request: Any = None) -> None:
    audit_record(
        actor=actor, action=action, target_type="case", target_id=proposal.case_id, unit_path=proposal.case.unit_path,
        summary=summary, request=request, extra={"proposal": proposal.pk, "group": proposal.circumstance_type.code},
    )  # fmt: skip


def may_decide(user: Any, case: Case) -> bool:
    """The case's worker, or the commune officer (registry editor of the case's commune) who may see the case."""
    if not can_see_case(user, case):
        return False
    return can_work_on(user, case) or (user.has_capability(cap.REGISTRY_EDIT) and unit_in_scope(user, case.commune))


def proposals_from_case(*, actor: User, case: Case) -> list[GroupProposal]:
    """The groups the case's forms of abuse propose (by `GroupRule`), from the intake date; none twice per case,
    none for a group the child is already in. Called inside the step's transaction."""
    child = case.child
    if child is None:
        return []
    made = []
    rules = GroupRule.objects.filter(is_active=True, abuse_form__in=case.abuse_forms).select_related(
        "circumstance_type"
    )
    for rule in rules.order_by("pk"):
        group = rule.circumstance_type
        if GroupProposal.objects.filter(case=case, circumstance_type=group).exists():
            continue
        if child.circumstances.filter(type=group, valid_to__isnull=True).exists():
            continue
        proposal = GroupProposal.objects.create(
            case=case, child=child, circumstance_type=group, abuse_form=rule.abuse_form,
            valid_from=date_vn(case.intake_at),
        )  # fmt: skip
        _audit(actor, proposal, Action.CREATE, f"Đề xuất nhóm {group.code} cho trẻ của vụ việc {case.code}")
        made.append(proposal)
    return made


def _lock(actor: Any, proposal: GroupProposal) -> GroupProposal:
    proposal = (
        GroupProposal.objects.select_for_update()
        .select_related("case", "child", "circumstance_type")
        .get(pk=proposal.pk)
    )
    if not may_decide(actor, proposal.case):
        raise PermissionDenied(_("You may not decide this case's proposals."))
    if proposal.status != ProposalStatus.PROPOSED:
        raise ValidationError(_("This proposal has already been decided."))
    return proposal


@transaction.atomic
def proposal_confirm(*, actor: Any, proposal: GroupProposal, request: Any = None) -> GroupProposal:
    """The officer confirms: the child is in the group from the intake date, as case data (registry service)."""
    from treem.registry.services import circumstance_add_from_case

    proposal = _lock(actor, proposal)
    case = proposal.case
    circumstance = circumstance_add_from_case(
        actor=actor, child=proposal.child, type=proposal.circumstance_type, valid_from=proposal.valid_from,
        source=f"Vụ việc {case.code}", source_case_id=case.pk, source_unit_path=case.unit_path,
    )  # fmt: skip
    proposal.status, proposal.decided_by, proposal.decided_at = ProposalStatus.CONFIRMED, actor, timezone.now()
    proposal.circumstance_id = circumstance.pk
    proposal.save(update_fields=["status", "decided_by", "decided_at", "circumstance_id"])
    _audit(actor, proposal, Action.CHANGE, f"Xác nhận nhóm {proposal.circumstance_type.code}", request)
    return proposal


@transaction.atomic
def proposal_reject(*, actor: Any, proposal: GroupProposal, reason: str, request: Any = None) -> GroupProposal:
    """The officer rejects, saying why; the child is not filed in the group."""
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": _("Say why the proposal is rejected.")})
    proposal = _lock(actor, proposal)
    proposal.status, proposal.decided_by, proposal.decided_at = ProposalStatus.REJECTED, actor, timezone.now()
    proposal.reason = reason[:300]
    proposal.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    _audit(actor, proposal, Action.CHANGE, f"Không xác nhận nhóm {proposal.circumstance_type.code}", request)
    return proposal
