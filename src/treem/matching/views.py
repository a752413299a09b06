"""Review queue pages: the pairs to look at, one pair side by side with its decision, runs with their progress."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from treem.accounts import permissions as rules
from treem.accounts.scope import scope_root
from treem.accounts.web import AuthedRequest, require_capability
from treem.registry.models import Child
from treem.registry.services import can_edit
from treem.registry.services.merge import can_merge, merge_preview

from . import runs, selectors, services
from .models import CandidateStatus, MatchCandidate

PAGE_SIZE = 50


def _can_decide(user: Any, candidate: MatchCandidate) -> bool:
    return can_merge(user, candidate.child_a, candidate.child_b)


@require_capability(rules.REVIEW_DUPLICATES)
@require_GET
def queue(request: AuthedRequest) -> HttpResponse:
    status = request.GET.get("status", CandidateStatus.PENDING)
    if status not in CandidateStatus.values:
        status = CandidateStatus.PENDING
    page = Paginator(selectors.queue_for_user(request.user, status), PAGE_SIZE).get_page(request.GET.get("page"))
    root = scope_root(request.user)
    context = {
        "page": page,
        "status": status,
        "statuses": CandidateStatus.choices,
        "counts": selectors.queue_counts(request.user),
        "runs": selectors.latest_runs(request.user),
        "can_run": root is not None and can_edit(request.user, root),
    }
    return render(request, "matching/queue.html", context)


def _chosen_values(post: Any, candidate: MatchCandidate) -> dict[str, Any]:
    """The value of each differing field from the record the officer ticked (record A when nothing is ticked)."""
    values: dict[str, Any] = {}
    for row in selectors.comparison(candidate):
        if not row.choose:
            continue
        source = candidate.child_b if post.get(f"f_{row.field}") == "b" else candidate.child_a
        values[row.field] = getattr(source, row.field)
        if row.field == "date_of_birth":
            values["dob_precision"] = source.dob_precision
    return values


@require_capability(rules.REVIEW_DUPLICATES)
def pair(request: AuthedRequest, pk: int) -> HttpResponse:
    candidate = selectors.candidate_for_user(request.user, pk)
    if request.method == "POST":
        decision = request.POST.get("decision", "")
        keep = candidate.child_b if request.POST.get("keep") == "b" else candidate.child_a
        chosen = _chosen_values(request.POST, candidate) if decision == CandidateStatus.MERGED else None
        if decision == CandidateStatus.MERGED and not request.POST.get("confirmed"):
            return _confirm_merge(request, candidate, keep, chosen or {})
        try:
            services.decide(actor=request.user, candidate=candidate, decision=decision, keep=keep,
                            chosen_values=chosen)  # fmt: skip
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("matching:pair", pk=pk)
        messages.success(request, _("Your decision was saved."))
        return redirect("matching:queue")
    context = {
        "candidate": candidate,
        "rows": selectors.comparison(candidate),
        "merge": selectors.active_merge(candidate),
        "twin_warning": selectors.looks_like_twins(candidate),
        "can_decide": _can_decide(request.user, candidate),
        "decided": candidate.status == CandidateStatus.MERGED,
    }
    return render(request, "matching/pair.html", context)


def _confirm_merge(
    request: AuthedRequest, candidate: MatchCandidate, keep: Child, chosen: dict[str, Any]
) -> HttpResponse:
    """The step before a merge: both records, the record kept with its values after the merge, what moves over.
    Nothing is written; the officer's choices go back with the confirmation."""
    if not _can_decide(request.user, candidate):
        raise PermissionDenied
    other = candidate.child_b if keep.pk == candidate.child_a_id else candidate.child_a
    context = {
        "candidate": candidate,
        "kept": keep,
        "other": other,
        "result": selectors.merge_result(keep, chosen),
        "moves": merge_preview(survivor=keep, other=other, keep=services.KEEP),
        "carried": [(k, v) for k, v in request.POST.items() if k == "keep" or k.startswith("f_")],
    }
    return render(request, "matching/merge_confirm.html", context)


@require_capability(rules.REVIEW_DUPLICATES)
@require_POST
def merge_undo(request: AuthedRequest, pk: int) -> HttpResponse:
    """Undo a merge from the kept child's page; back to that page."""
    merge = selectors.merge_for_user(request.user, pk)
    try:
        services.undo_merge(actor=request.user, merge=merge)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The merge was undone; both records are as they were."))
    return redirect("registry:child_detail", pk=merge.survivor_id)


@require_capability(rules.REVIEW_DUPLICATES)
@require_POST
def undo(request: AuthedRequest, pk: int) -> HttpResponse:
    candidate = selectors.candidate_for_user(request.user, pk)
    merge = selectors.active_merge(candidate)
    if merge is None:
        messages.error(request, _("There is no merge to undo."))
        return redirect("matching:pair", pk=pk)
    try:
        services.undo_merge(actor=request.user, merge=merge)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The merge was undone; both records are as they were."))
    return redirect("matching:pair", pk=pk)


@require_capability(rules.REVIEW_DUPLICATES)
@require_POST
def run_start(request: AuthedRequest) -> HttpResponse:
    root = scope_root(request.user)
    if root is None:
        raise PermissionDenied
    run = runs.start_run(actor=request.user, unit=root)
    return redirect("matching:run", pk=run.pk)


@require_capability(rules.REVIEW_DUPLICATES)
@require_GET
def run_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    run = selectors.run_for_user(request.user, pk)
    if request.htmx:
        response = render(request, "matching/run.html#status", {"run": run})
        if not run.is_running:
            response["HX-Refresh"] = "true"
        return response
    return render(request, "matching/run.html", {"run": run})
