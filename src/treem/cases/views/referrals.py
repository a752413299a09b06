"""Referrals: the case team refers a case to a provider of the directory and records an acknowledgement received
by phone or letter; the provider's users see the referrals made to them (only those, only what they disclose) and
acknowledge them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from treem.accounts.scope import get_or_404
from treem.accounts.web import AuthedRequest, form_errors_to, require_login
from treem.cases import disclosures, referrals
from treem.cases.access import can_work_on, on_case_team
from treem.cases.forms.referrals import AcknowledgementForm, AcknowledgementReceivedForm, ReferralForm
from treem.core.dates import today_vn
from treem.directory.selectors import linked_provider_ids

from .common import case_for_write, read_case


@require_login  # which cases: `cases_for_user`, 404 for the others (also for roles that see none)
def referral_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Refer the case to a provider: what the provider is told, with the consents (a disclosure)."""
    what = "Mở biểu mẫu chuyển gửi vụ việc {code} đến cơ sở cung cấp dịch vụ"
    case = case_for_write(request, pk) if request.method == "POST" else read_case(request, pk, what)
    if not (can_work_on(request.user, case) and case.is_open):
        raise PermissionDenied
    form = ReferralForm(request.POST or None, providers=referrals.providers_for_case(case))
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                referrals.referral_make(
                    actor=request.user, case=case, provider=d["provider"], referred_on=d["referred_on"],
                    service=d["service"], summary=d["summary"], parent_consent_name=d["parent_consent_name"],
                    parent_consent_on=d["parent_consent_on"], child_consent_on=d["child_consent_on"], request=request,
                )  # fmt: skip
            except ValidationError as exc:
                form_errors_to(form, exc)
            else:
                messages.success(request, _("The case was referred; the provider will acknowledge it."))
                return redirect("cases:detail", pk=case.pk)
        case = read_case(request, pk, what)
    context = {
        "case": case, "form": form, "child_age": case.child_age_on(today_vn()),
        "consent_age": disclosures.CHILD_CONSENT_AGE,
    }  # fmt: skip
    return render(request, "cases/referral_form.html", context)


@require_login
@require_POST
def referral_acknowledge(request: AuthedRequest, pk: int, referral: int) -> HttpResponse:
    """The case team records an acknowledgement the provider gave by phone, letter or in person."""
    case = case_for_write(request, pk)
    if not on_case_team(request.user, case):
        raise PermissionDenied
    row = get_or_404(case.referrals.all(), pk=referral)
    form = AcknowledgementReceivedForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            referrals.referral_acknowledge(
                actor=request.user, referral=row, acknowledged_on=d["acknowledged_on"], via=d["via"], name=d["name"],
                note=d["note"], request=request,
            )  # fmt: skip
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The acknowledgement was recorded."))
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("cases:detail", pk=case.pk)


@require_login  # only the referrals made to the user's providers; 404 for a user linked to no provider
def referral_inbox(request: AuthedRequest) -> HttpResponse:
    if not linked_provider_ids(request.user):
        raise Http404
    rows = referrals.referrals_received_list(request.user, request=request)
    return render(request, "cases/referral_inbox.html", {"rows": rows})


@require_login  # a referral made to one of the user's providers, else 404 (never the case itself)
def referral_received(request: AuthedRequest, pk: int) -> HttpResponse:
    if request.method == "POST":
        row = get_or_404(referrals.referrals_received(request.user), pk=pk)
        form = AcknowledgementForm(request.POST)
        if form.is_valid():
            try:
                referrals.referral_acknowledge(
                    actor=request.user, referral=row, acknowledged_on=form.cleaned_data["acknowledged_on"],
                    note=form.cleaned_data["note"], request=request,
                )  # fmt: skip
            except ValidationError as exc:
                form_errors_to(form, exc)
            else:
                messages.success(request, _("Thank you: the referral is acknowledged."))
                return redirect("cases:referral_received", pk=row.pk)
    else:
        form = AcknowledgementForm()
    row = referrals.referral_received_get(request.user, pk, request=request)
    return render(request, "cases/referral_received.html", {"referral": row, "form": form})
