"""The data-quality pages' reads, by the user's scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Sum

from treem.accounts.models import User
from treem.accounts.scope import get_for_user_or_404, is_unrestricted, scope_queryset, scope_root
from treem.core.charts import BarItem, Chart, Layout, bar_chart
from treem.core.dates import today_vn
from treem.units.models import Level, Unit

from .figures import CommuneFigures, compute
from .models import Snapshot
from .services import FIELDS

TREND_MONTHS = 12


def table(user: User, *, on: dt.date | None = None) -> list[CommuneFigures]:
    """The communes of the user's scope, worst first (the rule in `figures`)."""
    root = scope_root(user)
    if root is None and not is_unrestricted(user):
        return []
    return compute(root, on or today_vn())


def commune(user: User, pk: int) -> Unit:
    """A commune of the user's scope (404 otherwise)."""
    return get_for_user_or_404(user, Unit.objects.filter(level=Level.COMMUNE), path_field="path", pk=pk)


@dataclass(frozen=True, slots=True)
class MonthFigures:
    month: dt.date
    figures: CommuneFigures


def trend(user: User, *, within: Unit | None = None, months: int = TREND_MONTHS) -> list[MonthFigures]:
    """The snapshots of the user's scope (or of the commune `within`), summed per month, the last `months` months,
    oldest first. Days since the last update are not summed: they stay empty in a month's figures."""
    qs = scope_queryset(user, Snapshot.objects.all(), within=within)
    sums = {name: Sum(name) for name in FIELDS if name != "days_since_update"}
    grouped = qs.order_by().values("month").annotate(**sums).order_by("-month")[:months]
    rows: list[dict[str, Any]] = [dict(r) for r in grouped]
    out = []
    for r in reversed(rows):
        f = CommuneFigures(within)
        for name in sums:
            setattr(f, name, r[name] or 0)
        out.append(MonthFigures(r["month"], f))
    return out


CHART = Layout(label=90, bar=520, row=26, width=700)


def trend_chart(months: list[MonthFigures]) -> Chart | None:
    """One bar per month (oldest first): the gap score of the scope that month (100: the full bar)."""
    items = [
        BarItem(f"{m.month:%m/%Y}", _number(m.figures.score), (m.figures.score or 0) / 100)
        for m in months
        if m.figures.score is not None
    ]
    return bar_chart(items, CHART)


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}".replace(".", ",")
