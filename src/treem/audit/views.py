"""The audit log, searchable by auditors within their unit (the log itself is not audited again)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from treem.accounts import permissions as rules
from treem.accounts.scope import scope_queryset
from treem.accounts.web import AuthedRequest, require_capability
from treem.core.dates import VN_TZ
from treem.core.forms import DATE_HELP, VNDateField

from .models import Action, AuditEvent

PAGE_SIZE = 50


class AuditFilterForm(forms.Form):
    user = forms.CharField(label=_("User"), required=False, max_length=100)
    target_type = forms.CharField(label=_("Record type"), required=False, max_length=40)
    target_id = forms.CharField(label=_("Record number"), required=False, max_length=40)
    action = forms.ChoiceField(label=_("Action"), required=False, choices=[("", _("All")), *Action.choices])
    start = VNDateField(label=_("From"), required=False, help_text=DATE_HELP)
    end = VNDateField(label=_("To"), required=False, help_text=DATE_HELP)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end date is before the start date."))
        return data


def audit_events_for(user: Any, f: dict[str, Any]) -> QuerySet[AuditEvent]:
    qs = scope_queryset(user, AuditEvent.objects.all())
    if f.get("user"):
        qs = qs.filter(Q(actor_name__icontains=f["user"]) | Q(actor__username__iexact=f["user"]))
    if f.get("target_type"):
        qs = qs.filter(target_type=f["target_type"])
    if f.get("target_id"):
        qs = qs.filter(target_id=f["target_id"])
    if f.get("action"):
        qs = qs.filter(action=f["action"])
    if f.get("start"):
        qs = qs.filter(at__gte=dt.datetime.combine(f["start"], dt.time.min, tzinfo=VN_TZ))
    if f.get("end"):
        qs = qs.filter(at__lt=dt.datetime.combine(f["end"] + dt.timedelta(days=1), dt.time.min, tzinfo=VN_TZ))
    return qs.order_by("-at", "-pk")


@require_capability(rules.READ_AUDIT)
@require_GET
def search(request: AuthedRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_events_for(request.user, filters).select_related("actor")
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "audit/search.html", {"form": form, "page": page, "params": params.urlencode()})
