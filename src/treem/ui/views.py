"""Base UI pages: the home page (the user's work inbox, then their unit), a unit page, the unit picker (HTMX), and
marking notices read."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from treem.accounts import capabilities as cap
from treem.accounts import permissions as rules
from treem.accounts.scope import get_for_user_or_404, get_or_404, scope_root, visible_unit
from treem.accounts.web import AuthedRequest, require_capability, require_login
from treem.cases import services as case_services
from treem.cases.models import Notification, RapidAlert
from treem.units.models import Structure, Unit
from treem.units.selectors import unit_search

from .selectors import inbox, notice_panel, unit_overview
from .templatetags.inbox import remember_unread

PICKER_LIMIT = 15


@require_login
def home(request: AuthedRequest) -> HttpResponse:
    root = scope_root(request.user)
    if root is None:
        root = Unit.objects.filter(structure=Structure.CURRENT, parent=None).first()
    overview = unit_overview(root) if root else None
    abilities = [label for code, label in cap.LABELS.items() if request.user.has_capability(code)]
    box = inbox(request.user)
    remember_unread(request, box.unread)  # the navigation badge needs no second count
    return render(request, "ui/home.html", {"overview": overview, "abilities": abilities, "inbox": box})


def _notices_response(request: AuthedRequest) -> HttpResponse:
    """HTMX: the notice panel again, with the navigation badge swapped out of band; otherwise back home."""
    if not request.htmx:
        return redirect(reverse("ui:home") + "#notices")
    panel = notice_panel(request.user)
    remember_unread(request, panel.unread)
    return render(request, "ui/_notices.html", {"panel": panel, "oob": True})


@require_login
@require_POST
def notice_read(request: AuthedRequest, pk: int) -> HttpResponse:
    """Mark one of the user's own notices read (another user's answers 404, like a missing one)."""
    notice = get_or_404(Notification.objects.filter(recipient=request.user), pk=pk)
    case_services.notification_mark_read(actor=request.user, notification=notice)
    return _notices_response(request)


@require_login
@require_POST
def notices_read_all(request: AuthedRequest) -> HttpResponse:
    case_services.notifications_mark_all_read(actor=request.user)
    return _notices_response(request)


@require_capability(cap.CASES_SUPERVISE)
@require_POST
def alert_ack(request: AuthedRequest, pk: int) -> HttpResponse:
    """A supervisor takes note of a rapid report of the province in their scope (out of scope: 404)."""
    alert = get_for_user_or_404(request.user, RapidAlert.objects.all(), pk=pk)
    case_services.rapid_alert_acknowledge(actor=request.user, alert=alert, request=request)
    return _notices_response(request)


@require_capability(rules.SEE_UNITS)
def unit_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = get_for_user_or_404(request.user, Unit.objects.all(), pk=pk)
    overview = unit_overview(unit, visible_root=scope_root(request.user))
    return render(request, "ui/unit_detail.html", {"overview": overview})


@require_capability(rules.SEE_UNITS)
@require_GET
def unit_go(request: AuthedRequest) -> HttpResponse:
    unit_id = request.GET.get("unit", "")
    if not unit_id.isdigit():
        return redirect("ui:home")
    return redirect("ui:unit_detail", pk=int(unit_id))


@require_capability(rules.SEE_UNITS)
@require_GET
def unit_picker(request: AuthedRequest) -> HttpResponse:
    """Autocomplete results for the unit picker: current units in the user's scope, no diacritics needed."""
    query = request.GET.get("q", "").strip()
    field = request.GET.get("field", "unit")
    results: list[Unit] = []
    if len(query) >= 2:
        results = unit_search(query, structure=Structure.CURRENT, within=scope_root(request.user), limit=PICKER_LIMIT)
    return render(request, "components/unit_picker.html#results", {"results": results, "query": query, "field": field})


@require_capability(rules.SEE_UNITS)
@require_GET
def unit_picker_choose(request: AuthedRequest) -> HttpResponse:
    unit_id = request.GET.get("id", "")
    field = request.GET.get("field", "unit")
    chosen = visible_unit(request.user, unit_id)
    return render(request, "components/unit_picker.html#picker", {"chosen": chosen, "field": field})
