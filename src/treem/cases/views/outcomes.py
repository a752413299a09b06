"""The legal outcome of an abuse case (dated rows) and the feedback to the 111 helpline once the case is closed."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from treem.accounts.web import AuthedRequest, form_errors_to, require_login
from treem.cases import outcomes
from treem.cases.access import on_case_team
from treem.cases.forms import HelplineFeedbackForm, OutcomeForm
from treem.cases.models import Category, Status

from .common import case_for_write, read_case


@require_login  # which cases: `cases_for_user`, 404 for the others (also for roles that see none)
def outcome_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record a step of the authorities' handling: sanction, prosecution stage, or no violation found."""
    what = "Mở biểu mẫu ghi kết quả xử lý vụ việc {code}"
    case = case_for_write(request, pk) if request.method == "POST" else read_case(request, pk, what)
    if not on_case_team(request.user, case) or case.category != Category.ABUSED:
        raise PermissionDenied
    form = OutcomeForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                outcomes.outcome_record(
                    actor=request.user, case=case, kind=d["kind"], stage=d["stage"], decided_on=d["decided_on"],
                    authority=d["authority"], decree=d["decree"], amount=d["amount"], note=d["note"],
                    request=request,
                )  # fmt: skip
            except ValidationError as exc:
                form_errors_to(form, exc)
            else:
                messages.success(request, _("The legal outcome was recorded."))
                return redirect("cases:detail", pk=case.pk)
        case = read_case(request, pk, what)
    context = {"case": case, "form": form, "history": outcomes.outcomes_of(case)}
    return render(request, "cases/outcome_form.html", context)


@require_login  # which cases: `cases_for_user`, 404 for the others (also for roles that see none)
def helpline_feedback(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record that the 111 helpline was told how the case ended (once it is closed)."""
    what = "Mở biểu mẫu phản hồi Tổng đài 111 về vụ việc {code}"
    case = case_for_write(request, pk) if request.method == "POST" else read_case(request, pk, what)
    if not on_case_team(request.user, case) or case.status != Status.CLOSED:
        raise PermissionDenied
    form = HelplineFeedbackForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                outcomes.helpline_feedback_record(
                    actor=request.user, case=case, on=d["on"], how=d["how"], note=d["note"], request=request
                )
            except ValidationError as exc:
                form_errors_to(form, exc)
            else:
                messages.success(request, _("The feedback to the helpline was recorded."))
                return redirect("cases:detail", pk=case.pk)
        case = read_case(request, pk, what)
    return render(request, "cases/helpline_form.html", {"case": case, "form": form})
