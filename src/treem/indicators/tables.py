"""The indicator table page's figures: one indicator, one period, a unit and its sub-units as rows, one breakdown
as columns, and a bar chart of the sub-units.

Columns are every sub-crossing of the chosen breakdown (the total, each dimension's options, their crossings), so a
reader sees the same sums the suppression reasons about. A reader without `figures.exact` gets the stored values
with small cells hidden: `publish.hidden_cells` over the rows shown with every breakdown of the indicator (not only
the one on screen), so switching breakdowns hides the same cells and two views of the same rows together give no
more away than one. A reader with `figures.exact` sees the exact values, and that read is audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import product
from typing import Any

from django.db.models import Q
from django.http import Http404
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from treem.accounts.capabilities import FIGURES_EXACT
from treem.accounts.models import User
from treem.accounts.scope import is_unrestricted, scope_root
from treem.audit.models import Action
from treem.audit.services import audit_record
from treem.core.charts import BarItem, Chart, Layout, bar_chart, shorten
from treem.core.periods import Period, PeriodError, PeriodKind
from treem.units.models import Level, Structure, Unit

from .computations import UNKNOWN
from .models import DataValue, Dimension, DimensionOption, Indicator, Periodicity
from .publish import Value, format_value, hidden_for, shown, values_for
from .services import key_of
from .suppression import Hidden

FIRST_YEAR = 2021  # the first year of the 2021–2030 programme: periods offered from here
ALWAYS_SHOWN = 4  # a dimension with at most this many options shows them all, with or without figures
CHART = Layout(label=120, bar=230, row=24, width=400)


# --- choices ----------------------------------------------------------------------------------------------------


def indicators_by_group() -> list[tuple[str, list[Indicator]]]:
    """The active indicators, grouped by their indicator group, in the set's order."""
    groups: dict[int, tuple[str, list[Indicator]]] = {}
    for ind in Indicator.objects.filter(is_active=True).select_related("group"):
        groups.setdefault(ind.group_id, (ind.group.name, []))[1].append(ind)
    return list(groups.values())


def breakdowns(indicator: Indicator) -> list[tuple[int, str]]:
    """The indicator's breakdowns (its lists of crossed dimensions) as (index, label)."""
    names = {d.code: d.name for d in Dimension.objects.all()}
    return [(i, " × ".join(names.get(d, d) for d in crossing)) for i, crossing in enumerate(indicator.disaggregations)]


def period_label(period: Period) -> str:
    match period.kind:
        case PeriodKind.YEAR:
            return _("Year %(year)s") % {"year": period.year}
        case PeriodKind.HALF if period.number == 1:
            return _("First half of %(year)s") % {"year": period.year}
        case PeriodKind.HALF:
            return _("Second half of %(year)s") % {"year": period.year}
        case PeriodKind.QUARTER:
            return _("Quarter %(n)s/%(year)s") % {"n": period.number, "year": period.year}
        case _:
            return _("Month %(month)s/%(year)s") % {"month": f"{period.start.month:02d}", "year": period.year}


def _stored_periods(unit: Unit, indicator: Indicator) -> set[Period]:
    out: set[Period] = set()
    for text in DataValue.objects.filter(unit=unit, indicator=indicator).values_list("period", flat=True).distinct():
        try:
            out.add(Period.parse(text))
        except PeriodError:
            continue
    return out


def _order(indicator: Indicator) -> Any:
    """Latest first; for the same last day, the indicator's own periodicity first."""
    own = PeriodKind.YEAR if indicator.periodicity == Periodicity.YEAR else PeriodKind.HALF
    return lambda p: (p.end, p.kind == own)


def period_choices(unit: Unit, indicator: Indicator, today: dt.date) -> list[tuple[str, str]]:
    """Years and half-years from 2021 to today, and any other period with values stored for the unit; latest first."""
    periods = _stored_periods(unit, indicator)
    for year in range(FIRST_YEAR, today.year + 1):
        for p in (
            Period.of(PeriodKind.YEAR, year),
            Period.of(PeriodKind.HALF, year, 1),
            Period.of(PeriodKind.HALF, year, 2),
        ):
            if p.start <= today:
                periods.add(p)
    return [(str(p), period_label(p)) for p in sorted(periods, key=_order(indicator), reverse=True)]


def default_period(unit: Unit, indicator: Indicator, today: dt.date) -> Period:
    """The latest period with values stored for the unit, else the last period of the indicator's kind that ended."""
    stored = _stored_periods(unit, indicator)
    if stored:
        return max(stored, key=_order(indicator))
    kind = PeriodKind.YEAR if indicator.periodicity == Periodicity.YEAR else PeriodKind.HALF
    return Period.containing(today, kind).previous()


def home_unit(user: User) -> Unit | None:
    """Where the page opens: the user's unit; the nation for an administrator without one; None for anyone else
    without a unit (they see no figures)."""
    root = scope_root(user)
    if root is not None:
        return root
    if not is_unrestricted(user):
        return None
    return Unit.objects.filter(structure=Structure.CURRENT, level=Level.NATION).first()


def home_unit_or_404(user: User) -> Unit:
    unit = home_unit(user)
    if unit is None:
        raise Http404
    return unit


def breadcrumb(user: User, unit: Unit) -> list[Unit]:
    """The units above `unit` the user may see, top first."""
    paths = [p for p in unit.ancestor_paths() if p != unit.path]
    root = scope_root(user)
    if not is_unrestricted(user) and root is not None:
        paths = [p for p in paths if p.startswith(root.path)]
    return sorted(Unit.objects.filter(path__in=paths), key=lambda u: len(u.path))


# --- the table --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # the disaggregation key of the cells below
    label: str
    subtotal: bool = False


@dataclass(frozen=True, slots=True)
class ColumnGroup:
    label: str
    columns: tuple[Column, ...]


@dataclass(frozen=True, slots=True)
class Cell:
    key: str
    text: str
    state: str = ""  # "", or a `suppression.Hidden` value
    parts: str = ""  # a ratio's numerator/denominator, when shown


@dataclass(frozen=True, slots=True)
class Row:
    unit: Unit
    cells: tuple[Cell, ...]
    is_parent: bool = False


@dataclass
class Table:
    indicator: Indicator
    period: Period
    unit: Unit
    breakdown: int
    total: Column
    groups: list[ColumnGroup]
    rows: list[Row]
    chart: Chart | None
    exact: bool
    empty: bool
    suppressed: bool = False
    options: dict[str, list[DimensionOption]] = field(default_factory=dict)

    @property
    def columns(self) -> list[Column]:
        return [self.total, *(c for g in self.groups for c in g.columns)]


def localized(value: float) -> str:
    """A figure as the page shows it: grouped thousands, at most two decimals, in the reader's language."""
    text = format_value(value)
    return number_format(Decimal(text) if "." in text else int(text), force_grouping=True)


def _options(dims: list[str], present: set[str]) -> dict[str, list[DimensionOption]]:
    """Each dimension's options to show: all of a short list (not "unknown"), else those with figures."""
    out: dict[str, list[DimensionOption]] = {}
    for code in dims:
        options = list(DimensionOption.objects.filter(dimension__code=code).order_by("sort_order", "code"))
        known = [o for o in options if o.code != UNKNOWN]
        out[code] = [
            o for o in options if f"{code}={o.code}" in present or (len(known) <= ALWAYS_SHOWN and o.code != UNKNOWN)
        ]
    return out


def _columns(dims: list[str], options: dict[str, list[DimensionOption]]) -> tuple[Column, list[ColumnGroup]]:
    total = Column("", _("Total"), subtotal=True)
    names = {d.code: d.name for d in Dimension.objects.filter(code__in=dims)}
    if not dims:
        return total, []
    if len(dims) == 1:
        (d,) = dims
        return total, [ColumnGroup(names[d], tuple(Column(key_of({d: o.code}), o.name) for o in options[d]))]
    first, *rest = dims
    # the last dimensions crossed, then each option of the first with its subtotal and its crossings
    rest_choices = [dict(zip(rest, combo, strict=True)) for combo in product(*(options[r] for r in rest))]
    groups = [
        ColumnGroup(
            " × ".join(names[r] for r in rest),
            tuple(
                Column(key_of({r: o.code for r, o in c.items()}), " · ".join(o.name for o in c.values()))
                for c in rest_choices
            ),
        )
    ]
    for o in options[first]:
        cols = [Column(key_of({first: o.code}), _("Total"), subtotal=True)]
        cols += [
            Column(key_of({first: o.code, **{r: x.code for r, x in c.items()}}), " · ".join(x.name for x in c.values()))
            for c in rest_choices
        ]
        groups.append(ColumnGroup(o.name, tuple(cols)))
    return total, groups


def _sub_units(unit: Unit, with_values: set[int]) -> list[Unit]:
    qs = Unit.objects.filter(parent=unit).filter(Q(is_active=True) | Q(pk__in=with_values))
    return list(qs.order_by("path"))


def indicator_table(
    *, user: User, indicator: Indicator, period: Period, unit: Unit, breakdown: int, request: Any = None
) -> Table:
    """The figures of `indicator` for `unit` (already checked to be in the user's scope) and its sub-units."""
    crossings = indicator.disaggregations or [[]]
    breakdown = breakdown if 0 <= breakdown < len(crossings) else 0
    dims = list(dict.fromkeys(crossings[breakdown]))
    values = values_for(str(period), unit, indicators=[indicator], depth=1)
    exact = user.has_capability(FIGURES_EXACT)
    # one pattern over the reader's whole scope, the same on every page and file they open
    hidden = {} if exact else hidden_for(str(period), home_unit(user) or unit, [indicator])
    by_cell: dict[tuple[int, str], Value] = {(v.unit_id, v.disagg): v for v in values}
    units_with_values = {v.unit_id for v in values}
    present = {part for v in values for part in v.disagg.split(";") if part}
    options = _options(dims, present)
    total, groups = _columns(dims, options)
    columns = [total, *(c for g in groups for c in g.columns)]

    def cell(u: Unit, key: str) -> Cell:
        v = by_cell.get((u.pk, key))
        if v is None:  # a count not stored is a zero, once the unit has figures; a ratio without denominator, none
            zero = not indicator.is_ratio and u.pk in units_with_values
            return Cell(key, "0" if zero else "—")
        state = hidden.get(v.key)
        if state is not None:
            return Cell(key, shown(v.value, state), str(state))
        parts = ""
        if indicator.is_ratio and v.numerator is not None and v.denominator is not None:
            parts = f"{localized(v.numerator)}/{localized(v.denominator)}"
        return Cell(key, localized(v.value), "", parts)

    subs = _sub_units(unit, units_with_values)
    rows = [Row(unit, tuple(cell(unit, c.key) for c in columns), is_parent=True)]
    rows += [Row(u, tuple(cell(u, c.key) for c in columns)) for u in subs]
    empty = unit.pk not in units_with_values
    table = Table(
        indicator=indicator, period=period, unit=unit, breakdown=breakdown, total=total, groups=groups, rows=rows,
        chart=None if empty else _chart(rows[1:], by_cell, hidden), exact=exact, empty=empty,
        suppressed=any(c.state for r in rows for c in r.cells), options=options,
    )  # fmt: skip
    if exact and not empty:
        audit_record(
            actor=user, action=Action.VIEW, target_type="indicator_table", target_id=indicator.code,
            unit_path=unit.path, request=request,
            summary=f"Xem số liệu chính xác (không che ô nhỏ): {indicator.code}, kỳ {period}, {unit.name}",
            extra={"period": str(period), "unit": unit.pk, "breakdown": dims, "exact": True,
                   "units": [r.unit.pk for r in rows]},
        )  # fmt: skip
    return table


def _chart(rows: list[Row], by_cell: dict[tuple[int, str], Value], hidden: dict[Any, Hidden]) -> Chart | None:
    """Horizontal bars of the sub-units' totals; a hidden figure gets no bar (its length would give it away)."""
    if not rows:
        return None
    shown_values = [v.value for r in rows if (v := by_cell.get((r.unit.pk, ""))) is not None and v.key not in hidden]
    top = max(shown_values, default=0) or 1
    items = []
    for r in rows:
        v = by_cell.get((r.unit.pk, ""))
        is_hidden = v is not None and v.key in hidden
        share = 0 if v is None or is_hidden else v.value / top
        label = shorten(r.unit.short_name or r.unit.name, 22)
        items.append(BarItem(label, r.cells[0].text, share, "hidden-value" if is_hidden else "", r.unit.name))
    return bar_chart(items, CHART)
