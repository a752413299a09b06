"""Giving case information outside the case team: the disclosure with its consents, then the print for it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from treem.accounts.web import AuthedRequest, form_errors_to, require_login
from treem.cases import disclosures, documents
from treem.cases.access import on_case_team
from treem.cases.forms import DisclosureForm
from treem.core.dates import today_vn

from .common import case_for_write, read_case


@require_login  # which cases: `cases_for_user`, 404 for the others (also for roles that see none)
def disclosure_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record who receives case information outside the team, why, and the consents; then print the form for them."""
    what = "Mở biểu mẫu cung cấp thông tin vụ việc {code} ra ngoài nhóm xử lý"
    case = case_for_write(request, pk) if request.method == "POST" else read_case(request, pk, what)
    if not on_case_team(request.user, case):
        raise PermissionDenied
    choices = [(n, f.label) for n, f in documents.FORMS.items()]
    form = DisclosureForm(request.POST or None, form_choices=choices)
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                disclosure = disclosures.disclosure_record(
                    actor=request.user, case=case, recipient=d["recipient"], purpose=d["purpose"],
                    disclosed_on=d["disclosed_on"], parent_consent_name=d["parent_consent_name"],
                    parent_consent_on=d["parent_consent_on"], child_consent_on=d["child_consent_on"],
                    form_number=d["form_number"], request=request,
                )  # fmt: skip
            except ValidationError as exc:
                form_errors_to(form, exc)
            else:
                messages.success(request, _("The disclosure was recorded with its consents."))
                if disclosure.form_number:
                    url = reverse("cases:document", args=[case.pk, disclosure.form_number])
                    return redirect(f"{url}?disclosure={disclosure.pk}")
                return redirect("cases:detail", pk=case.pk)
        case = read_case(request, pk, what)
    age = case.child_age_on(today_vn())
    context = {"case": case, "form": form, "child_age": age, "consent_age": disclosures.CHILD_CONSENT_AGE}
    return render(request, "cases/disclosure_form.html", context)
