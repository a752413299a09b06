"""The data-quality pages: the ranked table of the communes of the user's scope with the trend by month, and one
commune's figures and trend. Counts only (names stay in the registry list the figures link to)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from treem.accounts import permissions as rules
from treem.accounts.scope import scope_root
from treem.accounts.web import AuthedRequest, require_capability
from treem.core.dates import today_vn

from . import selectors
from .figures import compute


@require_capability(rules.SEE_REGISTRY)
@require_GET
def table(request: AuthedRequest) -> HttpResponse:
    rows = selectors.table(request.user)
    months = selectors.trend(request.user)
    context = {
        "rows": rows, "ranked": [r for r in rows if r.rank], "unscored": [r for r in rows if not r.rank],
        "months": months, "chart": selectors.trend_chart(months), "scope": scope_root(request.user),
        "today": today_vn(),
    }  # fmt: skip
    return render(request, "quality/table.html", context)


@require_capability(rules.SEE_REGISTRY)
@require_GET
def commune(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = selectors.commune(request.user, pk)
    figures = next((f for f in compute(unit, today_vn()) if f.commune == unit), None)
    months = selectors.trend(request.user, within=unit)
    context = {
        "unit": unit, "f": figures, "months": months, "chart": selectors.trend_chart(months), "today": today_vn(),
    }  # fmt: skip
    return render(request, "quality/commune.html", context)
