"""The dashboard pages: a unit's figures at a glance, the same page at every level, drilled down by unit code."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from treem.accounts import permissions as rules
from treem.accounts.scope import get_for_user_or_404
from treem.accounts.web import AuthedRequest, require_capability
from treem.core.dates import today_vn
from treem.core.periods import Period, PeriodError, PeriodKind
from treem.indicators import tables
from treem.indicators.models import Indicator
from treem.units.models import Structure, Unit

from . import selectors
from .panels import dashboard_panels


@require_capability(rules.SEE_FIGURES)
@require_GET
def start(request: AuthedRequest) -> HttpResponse:
    """The dashboard of the user's own unit (the nation for an administrator without one)."""
    unit = tables.home_unit_or_404(request.user)
    url = reverse("dashboards:unit", args=[unit.code])
    return redirect(f"{url}?{urlencode(request.GET)}" if request.GET else url)


def _period(text: str, unit: Unit) -> Period:
    try:
        return Period.parse(text)
    except PeriodError:
        pass
    today = today_vn()
    children = Indicator.objects.filter(code=selectors.CHILDREN).first()
    if children is None:
        return Period.containing(today, PeriodKind.HALF).previous()
    return tables.default_period(unit, children, today)


@require_capability(rules.SEE_FIGURES)
@require_GET
def unit_dashboard(request: AuthedRequest, code: str) -> HttpResponse:
    unit = get_for_user_or_404(request.user, Unit.objects.filter(structure=Structure.CURRENT), code=code)
    period = _period(request.GET.get("period", ""), unit)
    ranked = Indicator.objects.filter(is_active=True, code=request.GET.get("indicator") or "").first()
    board = selectors.dashboard(user=request.user, unit=unit, period=period, ranked=ranked, request=request)
    children = Indicator.objects.filter(code=selectors.CHILDREN).first()
    context = {
        "board": board,
        "specs": board.specs,
        "crumbs": tables.breadcrumb(request.user, unit),
        "periods": tables.period_choices(unit, children, today_vn()) if children else [],
        "period_label": tables.period_label(period),
        "indicator_groups": tables.indicators_by_group(),
        "panels": dashboard_panels(request, unit, period),
        "tile_url": selectors.tile_url(),
        "tile_attribution": selectors.tile_attribution(),
    }
    return render(request, "dashboards/dashboard.html", context)
