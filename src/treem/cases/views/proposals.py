"""The case's group proposals: the officer confirms (the child is filed in the group) or rejects (with a reason)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from treem.accounts.models import User
from treem.accounts.web import AuthedRequest, require_login
from treem.cases import proposals
from treem.cases.models import Case, GroupProposal

from .common import case_for_write

DECISIONS = ("confirm", "reject")


@require_login  # which cases: `cases_for_user`, 404 for the others
@require_POST
def proposal_decide(request: AuthedRequest, pk: int, proposal: int, decision: str) -> HttpResponse:
    if decision not in DECISIONS:
        raise Http404
    case = case_for_write(request, pk)
    item = get_object_or_404(GroupProposal, pk=proposal, case=case)
    if not proposals.may_decide(request.user, case):
        raise PermissionDenied
    try:
        if decision == "confirm":
            proposals.proposal_confirm(actor=request.user, proposal=item, request=request)
            messages.success(request, _("Confirmed: the child is in the group."))
        else:
            reason = request.POST.get("reason", "")
            proposals.proposal_reject(actor=request.user, proposal=item, reason=reason, request=request)
            messages.success(request, _("Rejected: the child is not filed in the group."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("cases:detail", pk=case.pk)


def proposals_context(user: User, case: Case) -> dict[str, object]:
    """For the case page: the case's group proposals and whether this user decides them."""
    items = list(GroupProposal.objects.filter(case=case).select_related("circumstance_type", "decided_by"))
    return {"group_proposals": items, "can_decide_groups": bool(items) and proposals.may_decide(user, case)}
