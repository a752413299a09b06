"""Data-entry pages: the entered indicators of a unit and period as a form, and completeness under a parent unit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from treem.accounts import permissions as rules
from treem.accounts.scope import get_for_user_or_404
from treem.accounts.web import AuthedRequest, check_capability, form_errors_to, require_capability, require_login
from treem.core.periods import Period, PeriodError, PeriodKind
from treem.units.models import Level, Unit

from .entry import (
    Cell,
    EntryCell,
    can_enter,
    completeness,
    entered_cells,
    entry_cells_of,
    entry_indicators,
    figures_enter,
)
from .models import Indicator
from .tables import home_unit_or_404


def default_period(today: dt.date | None = None) -> Period:
    """The half year that ended last: the period reports are due for."""
    return Period.containing(today or timezone.localdate(), PeriodKind.HALF).previous()


def period_from(text: str | None) -> Period:
    if not text:
        return default_period()
    try:
        period = Period.parse(text)
    except PeriodError as exc:
        raise Http404 from exc
    if period.kind not in (PeriodKind.YEAR, PeriodKind.HALF):
        raise Http404
    return period


def period_choices(around: Period) -> list[str]:
    """Years and halves from five years back to the next year, newest first."""
    out = []
    this_year = timezone.localdate().year
    for year in range(this_year + 1, this_year - 6, -1):
        out += [f"{year}", f"{year}S2", f"{year}S1"]
    if str(around) not in out:
        out.append(str(around))
    return out


class EntryForm(forms.Form):
    """One input per breakdown of each entered indicator (two for a ratio: numerator and denominator)."""

    def __init__(self, *args: Any, indicators: list[Indicator], initial_cells: dict[tuple[int, str], Cell], **kw: Any):
        super().__init__(*args, **kw)
        self.layout: list[tuple[Indicator, list[tuple[EntryCell, list[str]]]]] = []
        cells_of = entry_cells_of(indicators)
        for ind in indicators:
            lines = []
            for i, cell in enumerate(cells_of[ind.pk]):
                have = initial_cells.get((ind.pk, cell.key), Cell())
                parts = [("n", have.numerator, _("Numerator")), ("d", have.denominator, _("Denominator"))]
                if not ind.is_ratio:
                    parts = [("v", have.value, _("Number"))]
                names = []
                for suffix, value, label in parts:
                    name = f"{ind.code}__{i}__{suffix}"
                    self.fields[name] = forms.IntegerField(
                        required=False, min_value=0, initial=value, label=f"{ind.name} · {cell.label} · {label}"
                    )
                    names.append(name)
                lines.append((cell, names))
            self.layout.append((ind, lines))

    def rows(self) -> list[dict[str, Any]]:
        """For the template: each indicator with its lines and their bound fields."""
        return [
            {"indicator": ind, "lines": [{"cell": cell, "fields": [self[n] for n in names]} for cell, names in lines]}
            for ind, lines in self.layout
        ]

    def figures(self) -> dict[str, dict[str, Cell]]:
        out: dict[str, dict[str, Cell]] = {}
        for ind, lines in self.layout:
            cells = {}
            for cell, names in lines:
                values = [self.cleaned_data.get(n) for n in names]
                cells[cell.key] = Cell(numerator=values[0], denominator=values[1]) if ind.is_ratio else Cell(values[0])
            out[ind.code] = cells
        return out


def _entry_unit(request: AuthedRequest, unit_id: int) -> Unit:
    unit = get_for_user_or_404(request.user, Unit.objects.all(), pk=unit_id)
    if unit.level == Level.VILLAGE:
        raise Http404
    return unit


@require_capability(rules.ENTER_FIGURES)
def entry_start(request: AuthedRequest) -> HttpResponse:
    return redirect(reverse("indicators:entry", args=[home_unit_or_404(request.user).pk]))


@require_capability(rules.ENTER_FIGURES)
def entry(request: AuthedRequest, unit_id: int) -> HttpResponse:
    unit = _entry_unit(request, unit_id)
    if not can_enter(request.user, unit):
        raise PermissionDenied
    period = period_from(request.POST.get("period") if request.method == "POST" else request.GET.get("period"))
    indicators = entry_indicators(period)
    have = entered_cells(unit, period, indicators)
    form = EntryForm(request.POST or None, indicators=indicators, initial_cells=have)
    if request.method == "POST" and form.is_valid():
        try:
            n = figures_enter(actor=request.user, unit=unit, period=period, figures=form.figures(), request=request)
        except ValidationError as exc:
            form_errors_to(form, exc)
        else:
            messages.success(request, _("Saved: %(n)s figures for %(unit)s, %(period)s.") % {
                "n": n, "unit": unit.name, "period": period,
            })  # fmt: skip
            return redirect(f"{reverse('indicators:entry', args=[unit.pk])}?period={period}")
    context = {
        "unit": unit,
        "period": period,
        "periods": period_choices(period),
        "form": form,
        "sub_units": [u for u in _sub_units(unit) if can_enter(request.user, u)],
        "parent": unit.parent if unit.parent and can_enter(request.user, unit.parent) else None,
    }
    return render(request, "indicators/entry.html", context)


def _sub_units(unit: Unit) -> list[Unit]:
    return list(Unit.objects.filter(parent=unit, is_active=True).exclude(level=Level.VILLAGE).order_by("path"))


@require_login
def completeness_view(request: AuthedRequest, unit_id: int) -> HttpResponse:
    if not (rules.ENTER_FIGURES.allows(request.user) or rules.SEE_FIGURES.allows(request.user)):
        check_capability(request.user, rules.ENTER_FIGURES)  # refuses
    unit = _entry_unit(request, unit_id)
    period = period_from(request.GET.get("period"))
    report = completeness(parent=unit, period=period)
    context = {
        "unit": unit,
        "period": period,
        "periods": period_choices(period),
        "report": report,
        "per_indicator": report.per_indicator(),
        "rows": [
            {
                "row": row,
                "can_enter": can_enter(request.user, row.unit),
                "drill": row.unit.pk != unit.pk and bool(_sub_units(row.unit)),
            }
            for row in report.rows
        ],
    }
    return render(request, "indicators/completeness.html", context)
