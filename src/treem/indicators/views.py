"""Indicator pages: the table of an indicator for a unit and its sub-units, and computing it on request."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from treem.accounts import permissions as rules
from treem.accounts.scope import get_or_404, scope_queryset
from treem.accounts.web import AuthedRequest, require_capability
from treem.core.dates import today_vn
from treem.core.periods import Period, PeriodError
from treem.units.models import Unit

from . import services, tables
from .models import Indicator, Source

DEFAULT_INDICATOR = "children"
EXPORT_FORMATS = (("xlsx", "Excel"), ("csv", "CSV"), ("dhis2", "DHIS2 (JSON)"), ("adx", "ADX (XML)"))


def _unit(request: AuthedRequest, text: str | None) -> Unit:
    """The unit asked for, in the user's scope (404 otherwise, as if missing); by default the user's own."""
    if not text:
        unit = tables.home_unit(request.user)
        if unit is None:
            raise Http404
        return unit
    if not text.isdigit():
        raise Http404
    return get_or_404(scope_queryset(request.user, Unit.objects.all()), pk=int(text))


def _indicator(code: str | None) -> Indicator:
    return get_or_404(Indicator.objects.filter(is_active=True).select_related("group"), code=code or DEFAULT_INDICATOR)


def _breakdown(text: str | None) -> int:
    return int(text) if text and text.isdigit() else 0


@require_capability(rules.SEE_FIGURES)
@require_GET
def table(request: AuthedRequest) -> HttpResponse:
    g = request.GET
    indicator, unit, today = _indicator(g.get("indicator")), _unit(request, g.get("unit")), today_vn()
    try:
        period = Period.parse(g.get("period", ""))
    except PeriodError:
        period = tables.default_period(unit, indicator, today)
    data = tables.indicator_table(
        user=request.user, indicator=indicator, period=period, unit=unit, breakdown=_breakdown(g.get("by")),
        request=request,
    )  # fmt: skip
    can_compute = indicator.source == Source.COMPUTED and rules.ENTER_FIGURES.allows(request.user)
    context = {
        "table": data,
        "indicator_groups": tables.indicators_by_group(),
        "periods": tables.period_choices(unit, indicator, today),
        "period_label": tables.period_label(period),
        "breakdowns": tables.breakdowns(indicator),
        "crumbs": tables.breadcrumb(request.user, unit),
        "can_compute": can_compute,
        "export_query": urlencode({"period": str(period), "unit": unit.pk}),
        "export_formats": EXPORT_FORMATS,
        "here": {"indicator": indicator.code, "period": str(period), "by": data.breakdown},
    }
    template = "indicators/table.html#figures" if request.htmx else "indicators/table.html"
    return render(request, template, context)


@require_capability(rules.ENTER_FIGURES)
@require_POST
def compute(request: AuthedRequest) -> HttpResponse:
    """Compute every computed indicator of a period for a unit and everything below it, then show the table."""
    p = request.POST
    unit = _unit(request, p.get("unit") or "-")
    try:
        period = Period.parse(p.get("period", ""))
    except PeriodError as exc:
        raise BadRequest(str(exc)) from exc
    result = services.compute(period, [unit])
    messages.success(
        request,
        _("Computed %(values)s figures for %(units)s units in %(seconds)s s.")
        % {"values": result.values, "units": result.units, "seconds": f"{result.seconds:.1f}"},
    )
    query = {"indicator": p.get("indicator") or DEFAULT_INDICATOR, "period": str(period), "unit": unit.pk}
    if p.get("by", "").isdigit():
        query["by"] = p["by"]
    return HttpResponseRedirect(f"{reverse('indicators:table')}?{urlencode(query)}")
