"""Pages of targets (actual against target, with a status, for a unit and year) and of the pre-reform figures
re-aggregated onto the current units."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from treem.accounts import capabilities as cap
from treem.accounts import permissions as rules
from treem.accounts.scope import get_for_user_or_404, unit_in_scope
from treem.accounts.web import AuthedRequest, require_capability
from treem.core.periods import Period, PeriodError
from treem.units.models import Level, Structure, Unit
from treem.units.services import REFORM_DATE

from .models import DataValue, Indicator
from .publish import CellKey, Value, hidden_for, shown
from .reform import ReformError, predecessors, reaggregate, splits_of
from .suppression import Hidden
from .tables import home_unit, home_unit_or_404
from .targets import TargetRow, status_counts, targets_for

FIRST_YEAR, LAST_YEAR = 2021, 2030  # the programme of QĐ 23


def _exact(user: Any) -> bool:
    return bool(user.has_capability(cap.FIGURES_EXACT))


def _actual_text(row: TargetRow, unit: Unit, hidden: dict[CellKey, Hidden]) -> str:
    """The actual figure as this reader may see it: hidden as their other pages hide it."""
    if row.actual is None:
        return "—"
    return shown(row.actual, hidden.get((row.indicator.pk, unit.pk, "")))


def _hidden(user: Any, period: str, unit: Unit, indicators: list[Indicator]) -> dict[CellKey, Hidden]:
    """The reader's one suppression pattern (over their whole scope, as the indicator pages use)."""
    return hidden_for(period, home_unit(user) or unit, indicators)


@require_capability(rules.SEE_FIGURES)
def targets_start(request: AuthedRequest) -> HttpResponse:
    return redirect(reverse("indicators:targets", args=[home_unit_or_404(request.user).pk]))


@require_capability(rules.SEE_FIGURES)
def targets(request: AuthedRequest, unit_id: int) -> HttpResponse:
    unit = get_for_user_or_404(request.user, Unit.objects.all(), pk=unit_id)
    text = request.GET.get("year") or str(min(max(timezone.localdate().year, FIRST_YEAR), LAST_YEAR))
    if not text.isdigit() or not FIRST_YEAR <= int(text) <= LAST_YEAR:
        raise Http404
    year = int(text)
    rows = targets_for(unit, year)
    # each actual hidden as the table of the period it is read from (the year's, else a half year's) hides it
    by_period: dict[str, list[Indicator]] = {}
    for r in [] if _exact(request.user) else rows:
        if r.period:
            by_period.setdefault(r.period, []).append(r.indicator)
    hidden = {p: _hidden(request.user, p, unit, inds) for p, inds in by_period.items()}
    context = {
        "unit": unit,
        "year": year,
        "years": list(range(LAST_YEAR, FIRST_YEAR - 1, -1)),
        "rows": [{"row": r, "actual": _actual_text(r, unit, hidden.get(r.period, {}))} for r in rows],
        "counts": status_counts(rows),
        "sub_units": Unit.objects.filter(parent=unit, is_active=True).exclude(level=Level.VILLAGE).order_by("path"),
    }
    return render(request, "indicators/targets.html", context)


# --- the 2025 reform --------------------------------------------------------------------------------------------


def _pre_reform_period(text: str | None) -> Period:
    try:
        period = Period.parse(text or "2024")
    except PeriodError as exc:
        raise Http404 from exc
    if period.end >= REFORM_DATE:
        raise Http404
    return period


def _table(
    user: Any, period: Period, units: list[Unit], indicators: list[Indicator]
) -> list[dict[str, Any]]:  # fmt: skip
    """The totals of `indicators` for `units`, suppressed as this reader must see them."""
    qs = DataValue.objects.filter(period=str(period), unit__in=units, indicator__in=indicators, disagg="")
    values = [
        Value(*row)
        for row in qs.values_list(
            "indicator_id", "unit_id", "unit__parent_id", "disagg", "value", "numerator", "denominator"
        )
    ]
    hidden = {} if _exact(user) else _hidden(user, str(period), units[0], indicators)
    by_key = {v.key: v for v in values}
    out = []
    for u in units:
        cells = []
        for ind in indicators:
            v = by_key.get((ind.pk, u.pk, ""))
            cells.append("—" if v is None else shown(v.value, hidden.get(v.key)))
        out.append({"unit": u, "cells": cells})
    return out


@require_capability(rules.SEE_FIGURES)
def reform(request: AuthedRequest, unit_id: int) -> HttpResponse:
    unit = get_for_user_or_404(request.user, Unit.objects.current(), pk=unit_id)
    period = _pre_reform_period(request.GET.get("period"))
    under = "former" if request.GET.get("under") == "former" else "current"
    formers = predecessors(unit)
    if under == "former":
        units = formers
    else:
        units = [unit, *Unit.objects.filter(parent=unit, is_active=True).exclude(level=Level.VILLAGE).order_by("path")]
    ids = DataValue.objects.filter(period=str(period), unit__in=units).values("indicator_id")
    indicators = list(Indicator.objects.filter(pk__in=ids))
    context = {
        "unit": unit,
        "period": period,
        "period_text": str(period),
        "under": under,
        "indicators": indicators,
        "table": _table(request.user, period, units, indicators),
        "splits": splits_of([f.pk for f in formers]),
        "can_run": rules.ENTER_FIGURES.allows(request.user) and unit_in_scope(request.user, unit),
        "periods": ["2024", "2024S2", "2024S1", "2023", "2022", "2021", "2025S1"],
    }
    return render(request, "indicators/reform.html", context)


@require_capability(rules.ENTER_FIGURES)
@require_POST
def reform_run(request: AuthedRequest, unit_id: int) -> HttpResponse:
    unit = get_for_user_or_404(request.user, Unit.objects.current(), pk=unit_id)
    period = _pre_reform_period(request.POST.get("period"))
    former_root = Unit.objects.filter(structure=Structure.FORMER, level=Level.NATION).first()
    if former_root is None:
        raise Http404
    try:
        result = reaggregate(period, former_root, unit, actor=request.user, request=request)
    except ReformError as exc:
        raise Http404 from exc
    messages.success(
        request,
        _("Re-aggregated %(n)s figures of %(period)s onto %(unit)s.")
        % {"n": result.values, "period": period, "unit": unit.name},
    )
    return redirect(f"{reverse('indicators:reform', args=[unit.pk])}?period={period}")
