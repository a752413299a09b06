"""The dashboard of a unit and period: its figures read from stored data values (never from the registry), hidden
for the reader exactly as the indicator tables hide them, each figure once as a chart spec (JSON for the script)
and once as the table beside it (the same cells), so the chart, its table and the indicator table always agree.

Which period each indicator is read for: the period asked for a half-yearly indicator; for a yearly one, the last
year that has ended by the period's end (a dashboard of 2026S1 shows the yearly figures of 2025).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from treem.accounts import permissions as rules
from treem.accounts.capabilities import FIGURES_EXACT
from treem.accounts.models import User
from treem.audit.models import Action
from treem.audit.services import audit_record
from treem.cases.access import cases_for_user
from treem.cases.models import AbuseForm, Setting, Status
from treem.cases.selectors import due_soon_deadlines, overdue_deadlines
from treem.core.periods import Period, PeriodKind
from treem.indicators.computations import UNKNOWN
from treem.indicators.models import DataValue, DimensionOption, Indicator, Periodicity
from treem.indicators.publish import CellKey, Value, hidden_for, linked, shown, values_for
from treem.indicators.suppression import Hidden
from treem.indicators.tables import home_unit, localized, period_label
from treem.indicators.targets import TargetRow, status_counts, targets_for
from treem.registry.selectors import AGE_BANDS
from treem.units.models import Unit

from . import index as rights_index

CHILDREN, SPECIAL, SPECIAL_SHARE, ABUSED = "children", "children_special", "children_special_share", "abused_children"
CORE = (CHILDREN, SPECIAL, SPECIAL_SHARE, ABUSED)
DEFAULT_RANKED = SPECIAL_SHARE
TREND_PERIODS = 4
# Okabe & Ito (2008), colour-blind safe; the script reads the colours from the spec, never picks its own.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#E69F00", "#56B4E9", "#CC79A7", "#F0E442", "#000000")
# viridis in five classes (light → dark), for the map: ordered, and readable without colour vision
SEQUENTIAL = ("#fde725", "#5ec962", "#21918c", "#3b528b", "#440154")
SUPPRESSED_COLOUR = "#999999"
OPEN_STATUSES = [s for s in Status if s != Status.CLOSED]


# --- the reader's figures --------------------------------------------------------------------------------------


# Suppression patterns this process has used, by the key `publish.hidden_for` caches them under (period, reader's root,
# linked indicators, newest computation): a hit skips unpickling a scope-wide pattern from the cache on every view.
_PATTERNS: OrderedDict[tuple[str, int, tuple[int, ...], Any], dict[CellKey, Hidden]] = OrderedDict()
PATTERNS_KEPT = 64


def _pattern(period: str, root: Unit, indicators: list[Indicator]) -> dict[CellKey, Hidden]:
    """`publish.hidden_for`, remembered in this process until the figures of the period change."""
    ids = tuple(sorted(i.pk for i in linked(indicators)))
    stamp = DataValue.objects.filter(period=period, indicator_id__in=ids).aggregate(m=Max("computed_at"))["m"]
    key = (period, root.pk, ids, stamp)
    found = _PATTERNS.get(key)
    if found is None:
        found = hidden_for(period, root, indicators)
        _PATTERNS[key] = found
        while len(_PATTERNS) > PATTERNS_KEPT:
            _PATTERNS.popitem(last=False)
    else:
        _PATTERNS.move_to_end(key)
    return found


@dataclass
class Reader:
    """Who reads and what they may see: one suppression pattern per period (for every indicator the page reads in
    it), the same `publish.hidden_for` pattern the indicator tables use."""

    user: User
    exact: bool
    root: Unit
    wanted: dict[str, list[Indicator]] = field(default_factory=dict)
    _hidden: dict[str, dict[CellKey, Hidden]] = field(default_factory=dict)

    def want(self, period: str, indicators: Iterable[Indicator]) -> None:
        """Announce what will be read in a period, so that one pattern serves them all."""
        self.wanted.setdefault(period, []).extend(indicators)

    def hidden(self, period: str, indicators: Iterable[Indicator] = ()) -> dict[CellKey, Hidden]:
        if self.exact:
            return {}
        if period not in self._hidden:
            inds = list({i.pk: i for i in [*self.wanted.get(period, []), *indicators]}.values())
            self._hidden[period] = _pattern(period, self.root, inds) if inds else {}
        return self._hidden[period]


@dataclass(frozen=True, slots=True)
class Cell:
    value: float | None  # None: no figure, or hidden
    text: str
    state: str = ""  # "", "no_data", or a suppression.Hidden value

    @property
    def hidden(self) -> bool:
        return self.state in (Hidden.PRIMARY, Hidden.COMPLEMENTARY)


NO_FIGURE = Cell(None, "—", "no_data")


def cell_of(v: Value | None, hidden: dict[CellKey, Hidden], *, zero_if_missing: bool = False) -> Cell:
    """A stored value as the reader sees it: hidden as the tables hide it ("<5", "x"), else localised."""
    if v is None:
        return Cell(0.0, "0") if zero_if_missing else NO_FIGURE
    state = hidden.get(v.key)
    if state is not None:
        return Cell(None, shown(v.value, state), str(state))
    return Cell(v.value, localized(v.value))


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    cells: tuple[Cell, ...]
    url: str = ""  # the row's dashboard (a sub-unit) or list
    key: str = ""  # a stable id for tests: a disaggregation key, a unit code


@dataclass
class Figure:
    """One chart and its table: the same rows and cells."""

    id: str
    kind: str  # "bar" (categories × series), "hbar", "ranked", "line", "map"
    caption: str
    row_header: str
    columns: list[str]
    rows: list[Row]
    table_url: str = ""  # the indicator table page with the same figures
    list_url: str = ""  # the registry or case list behind them
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return all(c.state == "no_data" for r in self.rows for c in r.cells) or not self.rows

    @property
    def suppressed(self) -> bool:
        return any(c.hidden for r in self.rows for c in r.cells)

    def spec(self) -> dict[str, Any]:
        """What the script draws: labels, series of numbers (null where hidden or missing) and their texts."""
        series = []
        for i, name in enumerate(self.columns):
            series.append({
                "name": name,
                "colour": PALETTE[i % len(PALETTE)],
                "values": [r.cells[i].value for r in self.rows],
                "texts": [r.cells[i].text for r in self.rows],
                "hidden": [r.cells[i].hidden for r in self.rows],
            })  # fmt: skip
        return {
            "kind": self.kind, "caption": self.caption, "categories": [r.label for r in self.rows],
            "urls": [r.url for r in self.rows], "series": series, "suppressed_colour": SUPPRESSED_COLOUR,
            "palette": PALETTE, **self.extra,
        }  # fmt: skip


# --- periods ---------------------------------------------------------------------------------------------------


def year_for(period: Period) -> Period:
    """The last year ended by the end of `period` (the year itself for a year)."""
    year = period.year if period.end == dt.date(period.year, 12, 31) else period.year - 1
    return Period.of(PeriodKind.YEAR, year)


def period_of(indicator: Indicator, period: Period) -> Period:
    if indicator.periodicity == Periodicity.YEAR and period.kind != PeriodKind.YEAR:
        return year_for(period)
    return period


def trend_periods(period: Period, count: int = TREND_PERIODS) -> list[Period]:
    """`count` periods of the same kind ending with `period`, oldest first."""
    out = [period]
    while len(out) < count:
        out.append(out[-1].previous())
    return out[::-1]


# --- links -----------------------------------------------------------------------------------------------------


@cache
def _path(name: str, *args: str) -> str:
    """A URL of a fixed name, reversed once per process (the page builds hundreds of links)."""
    return reverse(name, args=args)


def table_url(indicator: str, unit: Unit, period: Period, by: int = 0) -> str:
    query: dict[str, str | int] = {"indicator": indicator, "unit": unit.pk, "period": str(period), "by": by}
    return f"{_path('indicators:table')}?{urlencode(query)}"


def registry_url(unit: Unit, **filters: str) -> str:
    query: dict[str, str | int] = {"unit": unit.pk, **filters}
    return f"{_path('registry:child_list')}?{urlencode(query)}"


def dashboard_url(unit: Unit, period: Period, indicator: str = "", anchor: str = "") -> str:
    query = {"period": str(period)}
    if indicator and indicator != DEFAULT_RANKED:
        query["indicator"] = indicator
    # the code is a path segment of digits (a village: digits-number): the same as reverse() would quote it
    path = _path("dashboards:unit", "CODE").replace("CODE", quote(unit.code, safe=""))
    return f"{path}?{urlencode(query)}{anchor}"


# --- the dashboard ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KeyFigure:
    label: str
    cell: Cell
    url: str
    test_id: str
    sub: str = ""


@dataclass(frozen=True, slots=True)
class CaseCounts:
    open_total: int
    overdue: int
    due_soon: int
    figure: Figure


@dataclass(frozen=True, slots=True)
class TargetLine:
    row: TargetRow
    actual: str
    year: int


@dataclass
class Dashboard:
    unit: Unit
    period: Period
    year: Period
    ranked_indicator: Indicator
    exact: bool
    empty: bool
    key_figures: list[KeyFigure]
    figures: dict[str, Figure]
    cases: CaseCounts | None
    targets: list[TargetLine]
    target_counts: dict[str, int]
    index: rights_index.IndexResult | None
    sub_index: list[tuple[Unit, rights_index.IndexResult, str]]
    map_points: int
    sub_units: list[Unit]

    @property
    def specs(self) -> dict[str, dict[str, Any]]:
        """Every chart's spec by the figure's id (the `data-chart` of its element)."""
        figures = [*self.figures.values(), *([self.cases.figure] if self.cases else [])]
        return {f.id: f.spec() for f in figures}


def _by_key(values: Iterable[Value], unit: Unit) -> dict[tuple[int, str], Value]:
    return {(v.indicator_id, v.disagg): v for v in values if v.unit_id == unit.pk}


# Options whose names the cases app translates (the stored names are those of the language the set was loaded in)
TRANSLATED = {"abuse_form": AbuseForm, "setting": Setting}


def _options(dimension: str, present: set[str], *, keep_all: bool = False) -> list[DimensionOption]:
    """A dimension's options with a figure (every known one when `keep_all`), "unknown" only when it has one."""
    options = DimensionOption.objects.filter(dimension__code=dimension).order_by("sort_order", "code")
    chosen = [o for o in options if (f"{dimension}={o.code}" in present or (keep_all and o.code != UNKNOWN))]
    choices = TRANSLATED.get(dimension)
    if choices is not None:
        labels = dict(choices.choices)
        for o in chosen:
            if o.code in labels:
                o.name_vi = o.name_en = str(labels[o.code])
    return chosen


def _present(values: Iterable[Value], indicator_id: int) -> set[str]:
    return {part for v in values if v.indicator_id == indicator_id for part in v.disagg.split(";") if part}


def sub_units(unit: Unit) -> list[Unit]:
    return list(Unit.objects.filter(parent=unit, is_active=True).order_by("path"))


def dashboard(
    *, user: User, unit: Unit, period: Period, ranked: Indicator | None = None, request: Any = None
) -> Dashboard:
    """Everything the dashboard of `unit` (already checked to be in the user's scope) shows for `period`."""
    inds = {i.code: i for i in Indicator.objects.filter(code__in=CORE, is_active=True)}
    ranked = ranked or Indicator.objects.filter(code=DEFAULT_RANKED).first() or next(iter(inds.values()))
    exact = user.has_capability(FIGURES_EXACT)
    reader = Reader(user, exact, home_unit(user) or unit)
    year = year_for(period)
    subs = sub_units(unit)
    figures: dict[str, Figure] = {}
    comps = rights_index.components()
    target_rows = targets_for(unit, year.year)
    ranked_period = period_of(ranked, period)
    reader.want(str(period), inds.values())
    reader.want(str(ranked_period), [ranked])
    reader.want(str(year), [c.indicator for c in comps])
    for r in target_rows:  # an actual is the year's figure, else a half year's: hidden as that period's table
        if r.period:
            reader.want(r.period, [r.indicator])

    # the unit's own figures of the period: one read
    own = values_for(str(period), unit, indicators=list(inds.values()), depth=0)
    hidden = reader.hidden(str(period), inds.values())
    mine = _by_key(own, unit)
    has_values = bool(own)

    def get(code: str, key: str = "") -> Value | None:
        ind = inds.get(code)
        return mine.get((ind.pk, key)) if ind else None

    key_figures = []
    if CHILDREN in inds:
        key_figures.append(KeyFigure(_("Children under 16"), cell_of(get(CHILDREN), hidden),
                                     table_url(CHILDREN, unit, period), "kf-children"))  # fmt: skip
    if SPECIAL in inds:
        share = cell_of(get(SPECIAL_SHARE), hidden)
        key_figures.append(KeyFigure(
            _("Children in special circumstances"), cell_of(get(SPECIAL), hidden), table_url(SPECIAL, unit, period),
            "kf-special",
            sub=_("%(share)s%% of the children") % {"share": share.text} if share.value is not None else "",
        ))  # fmt: skip
    if ABUSED in inds:
        key_figures.append(KeyFigure(_("Abused children"), cell_of(get(ABUSED), hidden),
                                     table_url(ABUSED, unit, period), "kf-abused"))  # fmt: skip

    if CHILDREN in inds:
        figures["age_sex"] = _age_sex(inds[CHILDREN], own, hidden, unit, period)
    if SPECIAL in inds:
        figures["groups"], figures["groups_trend"] = _groups(reader, inds[SPECIAL], own, hidden, unit, period)
    if ABUSED in inds:
        figures["abuse_form"] = _one_dimension(
            inds[ABUSED], own, hidden, unit, period, "abuse_form", _("Abused children by form of abuse"),
            _("Form of abuse"), by=2,
        )  # fmt: skip
        figures["abuse_setting"] = _one_dimension(
            inds[ABUSED], own, hidden, unit, period, "setting", _("Abused children by setting"), _("Setting"), by=1
        )

    # the sub-units: the chosen indicator's totals (ranked chart, map), and the index
    comp_inds = [c.indicator for c in comps]
    by_period: dict[str, list[Indicator]] = {str(ranked_period): [ranked]}
    by_period.setdefault(str(year), []).extend(comp_inds)
    totals: dict[str, dict[tuple[int, int], Value]] = {}
    for text, group in by_period.items():
        group = list({i.pk: i for i in group}.values())
        vals = values_for(text, unit, indicators=group, depth=1)
        totals[text] = {(v.indicator_id, v.unit_id): v for v in vals if v.disagg == ""}
        has_values = has_values or bool(vals)
    ranked_hidden = reader.hidden(str(ranked_period), [ranked])
    ranked_totals = totals[str(ranked_period)]
    figures["ranked"] = _ranked(ranked, ranked_period, ranked_totals, ranked_hidden, unit, subs, period)
    map_figure, points = _map(ranked, ranked_totals, ranked_hidden, subs, period, figures["ranked"])
    figures["map"] = map_figure

    year_hidden = reader.hidden(str(year), comp_inds)
    year_totals = totals[str(year)]

    def index_of(u: Unit) -> rights_index.IndexResult:
        mine_totals = {c.indicator_id: year_totals.get((c.indicator_id, u.pk)) for c in comps}
        return rights_index.unit_index(u.pk, comps, {k: v for k, v in mine_totals.items() if v}, year_hidden)

    unit_index = index_of(unit) if comps else None
    sub_index = [(u, index_of(u), dashboard_url(u, period, anchor="#index")) for u in subs] if comps else []
    if unit_index is not None:
        key_figures.append(KeyFigure(
            _("Child-rights index"),
            Cell(unit_index.value, localized(round(unit_index.value, 1)))
            if unit_index.value is not None else NO_FIGURE,
            "#index", "kf-index", sub=_("out of 100, year %(year)s") % {"year": year.year},
        ))  # fmt: skip
    figures["index"] = _index_figure(comps, unit_index, year)

    # targets of the year, each actual hidden as the table of the period it is read from hides it
    targets = [
        TargetLine(r, _target_actual(r, unit, reader.hidden(r.period, [r.indicator]) if r.period else {}), year.year)
        for r in target_rows
    ]

    cases = _cases(user, unit) if rules.SEE_CASES.allows(user) else None
    board = Dashboard(
        unit=unit, period=period, year=year, ranked_indicator=ranked, exact=exact, empty=not has_values,
        key_figures=key_figures, figures=figures, cases=cases, targets=targets,
        target_counts=status_counts(target_rows), index=unit_index, sub_index=sub_index, map_points=points,
        sub_units=subs,
    )  # fmt: skip
    if exact and has_values:
        audit_record(
            actor=user, action=Action.VIEW, target_type="dashboard", target_id=unit.code, unit_path=unit.path,
            request=request,
            summary=f"Xem bảng tổng hợp với số liệu chính xác (không che ô nhỏ): {unit.name}, kỳ {period}",
            extra={"period": str(period), "unit": unit.pk, "exact": True, "ranked": ranked.code},
        )  # fmt: skip
    return board


def _age_sex(ind: Indicator, own: list[Value], hidden: dict[CellKey, Hidden], unit: Unit, period: Period) -> Figure:
    mine = _by_key(own, unit)
    present = _present(own, ind.pk)
    ages = _options("age_group", present, keep_all=True)
    sexes = _options("sex", present, keep_all=True)
    has = bool(mine.get((ind.pk, "")))

    def c(key: str) -> Cell:
        return cell_of(mine.get((ind.pk, key)), hidden, zero_if_missing=has)

    rows = []
    for a in ages:
        cells = [c(f"age_group={a.code};sex={s.code}") for s in sexes] + [c(f"age_group={a.code}")]
        band = {"age": a.code} if a.code in AGE_BANDS else {}
        rows.append(Row(a.name, tuple(cells), registry_url(unit, **band), key=f"age_group={a.code}"))
    rows.append(Row(_("Total"), tuple([c(f"sex={s.code}") for s in sexes] + [c("")]), registry_url(unit), key=""))
    return Figure(
        "age_sex", "bar", _("Children by age group and sex"), _("Age group"), [s.name for s in sexes] + [_("Total")],
        rows, table_url(CHILDREN, unit, period, by=0), registry_url(unit),
        extra={"chart_columns": len(sexes), "chart_rows": len(ages)},
    )  # fmt: skip


def _groups(
    reader: Reader, ind: Indicator, own: list[Value], hidden: dict[CellKey, Hidden], unit: Unit, period: Period
) -> tuple[Figure, Figure]:
    """By group in the period (bars), and each group over the last periods (lines): one table of groups × periods."""
    periods = trend_periods(period)
    per_period: dict[str, dict[tuple[int, str], Value]] = {str(period): _by_key(own, unit)}
    hidden_by: dict[str, dict[CellKey, Hidden]] = {str(period): hidden}
    present = _present(own, ind.pk)
    for p in periods[:-1]:
        vals = values_for(str(p), unit, indicators=[ind], depth=0)
        per_period[str(p)] = _by_key(vals, unit)
        hidden_by[str(p)] = reader.hidden(str(p), [ind])
        present |= _present(vals, ind.pk)
    groups = [o for o in _options("group", present) if o.code != UNKNOWN]

    def c(p: Period, key: str) -> Cell:
        mine = per_period[str(p)]
        return cell_of(mine.get((ind.pk, key)), hidden_by[str(p)], zero_if_missing=bool(mine.get((ind.pk, ""))))

    now_rows = [
        Row(g.name, (c(period, f"group={g.code}"),), registry_url(unit, group=g.code), key=f"group={g.code}")
        for g in groups
    ]
    bars = Figure(
        "groups", "hbar", _("Children in special circumstances by group"), _("Group"), [period_label(period)],
        now_rows, table_url(SPECIAL, unit, period, by=0), registry_url(unit, group="any"),
        note=_("A child in several groups is counted in each."),
    )  # fmt: skip
    trend_rows = [
        Row(g.name, tuple(c(p, f"group={g.code}") for p in periods), registry_url(unit, group=g.code),
            key=f"group={g.code}")
        for g in groups
    ]  # fmt: skip
    trend_rows.append(Row(_("Total"), tuple(c(p, "") for p in periods), registry_url(unit, group="any"), key=""))
    trend = Figure(
        "groups_trend", "line", _("Children in special circumstances over the last periods"), _("Group"),
        [str(p) for p in periods], trend_rows, table_url(SPECIAL, unit, period, by=0),
        registry_url(unit, group="any"),
    )  # fmt: skip
    return bars, trend


def _one_dimension(
    ind: Indicator, own: list[Value], hidden: dict[CellKey, Hidden], unit: Unit, period: Period, dimension: str,
    caption: str, header: str, *, by: int,
) -> Figure:  # fmt: skip
    mine = _by_key(own, unit)
    options = _options(dimension, _present(own, ind.pk), keep_all=True)
    has = bool(mine.get((ind.pk, "")))
    rows = [
        Row(o.name, (cell_of(mine.get((ind.pk, f"{dimension}={o.code}")), hidden, zero_if_missing=has),),
            key=f"{dimension}={o.code}")
        for o in options
    ]  # fmt: skip
    return Figure(f"abuse_{dimension}", "hbar", caption, header, [_("Children")], rows,
                  table_url(ABUSED, unit, period, by=by))  # fmt: skip


def _ranked(
    ind: Indicator, ind_period: Period, totals: dict[tuple[int, int], Value], hidden: dict[CellKey, Hidden],
    unit: Unit, subs: list[Unit], period: Period,
) -> Figure:  # fmt: skip
    """The sub-units by the chosen indicator, highest first; hidden and missing figures last, in the units' order
    (a hidden figure's place in the ranking would tell its size)."""
    cells = [(u, cell_of(totals.get((ind.pk, u.pk)), hidden)) for u in subs]
    shown_ = sorted((x for x in cells if x[1].value is not None), key=lambda x: (-(x[1].value or 0), x[0].path))
    rest = [x for x in cells if x[1].value is None]
    rows = [Row(u.name, (c,), dashboard_url(u, period, ind.code), key=u.code) for u, c in shown_ + rest]
    caption = _("%(indicator)s: sub-units ranked (%(period)s)") % {"indicator": ind.name, "period": ind_period}
    return Figure(
        "ranked", "ranked", caption, _("Unit"), [ind.name], rows, table_url(ind.code, unit, ind_period),
        extra={"measure": ind.get_measure_display()},
    )  # fmt: skip


def _map(
    ind: Indicator, totals: dict[tuple[int, int], Value], hidden: dict[CellKey, Hidden], subs: list[Unit],
    period: Period, ranked: Figure,
) -> tuple[Figure, int]:  # fmt: skip
    """Points at the sub-units' coordinates, sized and coloured (five classes) by the chosen indicator."""
    placed = [u for u in subs if u.latitude is not None and u.longitude is not None]
    cells = {u.pk: cell_of(totals.get((ind.pk, u.pk)), hidden) for u in placed}
    values = sorted(c.value for c in cells.values() if c.value is not None)
    breaks = _breaks(values)
    top = max(values, default=0) or 1
    points = []
    for u in placed:
        c = cells[u.pk]
        cls = _class_of(c.value, breaks) if c.value is not None else None
        points.append({
            "name": u.name, "lon": u.longitude, "lat": u.latitude, "value": c.value, "text": c.text,
            "hidden": c.hidden, "url": dashboard_url(u, period, ind.code),
            "colour": SEQUENTIAL[cls] if cls is not None else SUPPRESSED_COLOUR,
            "size": 8 + 22 * math.sqrt(c.value / top) if c.value is not None and c.value > 0 else 8,
        })  # fmt: skip
    legend = [
        {"colour": SEQUENTIAL[i], "text": localized(lo) if lo == hi else f"{localized(lo)} – {localized(hi)}"}
        for i, (lo, hi) in enumerate(breaks)
    ]
    figure = Figure(
        "map", "map", _("Map of the sub-units: %(indicator)s") % {"indicator": ind.name}, ranked.row_header,
        ranked.columns, ranked.rows, ranked.table_url,
        extra={"points": points, "legend": legend, "suppressed_text": _("hidden (small figure)")},
    )  # fmt: skip
    return figure, len(points)


def _breaks(values: list[float]) -> list[tuple[float, float]]:
    """Up to five classes with about as many distinct shown values each (a value is never in two classes)."""
    distinct = sorted(set(values))
    if not distinct:
        return []
    n = min(len(SEQUENTIAL), len(distinct))
    out = []
    for i in range(n):
        chunk = distinct[i * len(distinct) // n : (i + 1) * len(distinct) // n]
        if chunk:
            out.append((chunk[0], chunk[-1]))
    return out


def _class_of(value: float, breaks: list[tuple[float, float]]) -> int:
    for i, (_lo, hi) in enumerate(breaks):
        if value <= hi:
            return i
    return len(breaks) - 1


def _index_figure(
    comps: list[rights_index.IndexComponent], result: rights_index.IndexResult | None, year: Period
) -> Figure:
    rows = []
    if result is not None:
        for p in result.parts:
            score = Cell(p.score, localized(round(p.score, 1))) if p.score is not None else (
                Cell(None, "x" if p.state != "no_data" else "—", p.state))  # fmt: skip
            rows.append(Row(p.component.indicator.name, (score,), key=p.component.indicator.code))
    return Figure(
        "index",
        "hbar",
        _("Child-rights index %(year)s: score of each part (0–100)") % {"year": year.year},
        _("Part"),
        [_("Score")],
        rows,
        extra={"max": 100},
    )


def _target_actual(row: TargetRow, unit: Unit, hidden: dict[CellKey, Hidden]) -> str:
    """The actual figure as the targets page shows it to this reader."""
    if row.actual is None:
        return "—"
    state = hidden.get((row.indicator.pk, unit.pk, ""))
    return shown(row.actual, state) if state is not None else localized(row.actual)


def _cases(user: User, unit: Unit) -> CaseCounts:
    """Counts only (no case is named, so nothing is audited): the open cases the user may see under the unit, by
    step, and their clocks."""
    now = timezone.now()
    visible = cases_for_user(user).filter(unit_path__path_prefix=unit.path).order_by()
    open_ = visible.exclude(status=Status.CLOSED).values_list("status")
    # COUNT(DISTINCT): the user's cases may come through a join (assigned workers) and repeat
    by_status = dict(open_.annotate(n=Count("pk", distinct=True)).values_list("status", "n"))
    ids = visible.values("pk")
    clocks = {  # from the clocks, not the cases: few are open
        "overdue": overdue_deadlines(now).filter(case__in=ids).values("case").distinct().count(),
        "due_soon": due_soon_deadlines(now).filter(case__in=ids).values("case").distinct().count(),
    }
    dash = reverse("cases:dashboard")
    rows = [
        Row(str(s.label), (Cell(float(by_status.get(s, 0)), localized(by_status.get(s, 0))),),
            f"{dash}?{urlencode({'status': s.value})}", key=s.value)
        for s in OPEN_STATUSES
    ]  # fmt: skip
    figure = Figure("cases", "hbar", _("Open cases by step"), _("Step"), [_("Cases")], rows, list_url=dash)
    return CaseCounts(sum(by_status.values()), clocks["overdue"], clocks["due_soon"], figure)


def tile_url() -> str:
    """A tile server for the map's background (e.g. a province's own), off unless configured: no tiles by default."""
    return str(getattr(settings, "TREEM_MAP_TILE_URL", "") or "")


def tile_attribution() -> str:
    return str(getattr(settings, "TREEM_MAP_TILE_ATTRIBUTION", "") or "")
