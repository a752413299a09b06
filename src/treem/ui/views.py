"""Base UI pages: the home page per role, a unit page, and the unit picker (HTMX)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from treem.accounts import capabilities as cap
from treem.accounts import permissions as rules
from treem.accounts.scope import get_for_user_or_404, scope_root, visible_unit
from treem.accounts.web import AuthedRequest, require_capability, require_login
from treem.units.models import Structure, Unit
from treem.units.selectors import unit_search

from .selectors import unit_overview

PICKER_LIMIT = 15


@require_login
def home(request: AuthedRequest) -> HttpResponse:
    root = scope_root(request.user)
    if root is None:
        root = Unit.objects.filter(structure=Structure.CURRENT, parent=None).first()
    overview = unit_overview(root) if root else None
    abilities = [label for code, label in cap.LABELS.items() if request.user.has_capability(code)]
    return render(request, "ui/home.html", {"overview": overview, "abilities": abilities})


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
