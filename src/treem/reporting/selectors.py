"""Reading reports: completeness and timeliness of a cycle under a unit (the page, the chart and the
`treem reports status` command read the same rows), the consolidation view, and the inbox counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from treem.accounts import capabilities as cap
from treem.accounts.models import User
from treem.accounts.scope import scope_queryset, scope_root
from treem.cases.calendar import WorkCalendar
from treem.core.charts import BarItem, Chart, Layout, bar_chart
from treem.core.dates import VN_TZ, date_vn, today_vn
from treem.indicators.models import DimensionOption, Indicator
from treem.indicators.publish import Value, format_value, hidden_cells, shown
from treem.indicators.suppression import Hidden
from treem.indicators.tables import localized
from treem.units.models import Unit

from .models import Cycle, Report, Status
from .reminders import reminder_starts
from .services import indicators_of, reporting_units

MISSING = "missing"
ON_TIME, LATE = "on_time", "late"

CHART = Layout(label=220, bar=300, row=26, width=580)  # the completeness chart: 220 of labels, bars of 300


@dataclass(frozen=True, slots=True)
class StatusRow:
    unit: Unit
    report: Report | None
    status: str  # draft|submitted|returned|approved|missing
    submitted_at: dt.datetime | None  # the first submission
    timeliness: str  # on_time|late|missing
    deadline: dt.date | None

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label) if self.status != MISSING else _("Not started")

    @property
    def timeliness_label(self) -> str:
        return {ON_TIME: _("On time"), LATE: _("Late"), MISSING: _("Not submitted")}[self.timeliness]


@dataclass(frozen=True, slots=True)
class Totals:
    total: int
    submitted: int
    approved: int
    late: int
    missing: int

    @property
    def on_time(self) -> int:
        return self.submitted - self.late

    def line(self) -> str:
        return (
            f"total {self.total} submitted {self.submitted} approved {self.approved} late {self.late} "
            f"missing {self.missing}"
        )


@dataclass
class Completeness:
    cycle: Cycle
    unit: Unit
    rows: list[StatusRow]
    totals: Totals
    chart: Chart | None = None
    deadline: dt.date | None = None  # the sub-units' deadline
    by_status: dict[str, int] = field(default_factory=dict)


def timeliness(first_submitted_at: dt.datetime | None, deadline: dt.date | None) -> str:
    """On time when first submitted on or before the deadline day (Vietnam time)."""
    if first_submitted_at is None:
        return MISSING
    if deadline is None or date_vn(first_submitted_at) <= deadline:
        return ON_TIME
    return LATE


def status_rows(cycle: Cycle, parent: Unit) -> list[StatusRow]:
    """One row per direct sub-unit of `parent` that owes a report in the cycle, in code order of their paths."""
    subs = reporting_units(cycle, parent)
    reports = {r.unit_id: r for r in Report.objects.filter(cycle=cycle, unit__in=subs)}
    rows = []
    for u in subs:
        r = reports.get(u.pk)
        deadline = cycle.deadline_for(u.level)
        first = r.first_submitted_at if r else None
        rows.append(StatusRow(u, r, r.status if r else MISSING, first, timeliness(first, deadline), deadline))
    return rows


def totals_of(rows: list[StatusRow]) -> Totals:
    return Totals(
        total=len(rows),
        submitted=sum(1 for r in rows if r.submitted_at is not None),
        approved=sum(1 for r in rows if r.status == Status.APPROVED),
        late=sum(1 for r in rows if r.timeliness == LATE),
        missing=sum(1 for r in rows if r.timeliness == MISSING),
    )


def _chart(totals: Totals, by_status: dict[str, int]) -> Chart | None:
    """Sub-units by status, then by timeliness: each bar a share of all the sub-units, its count written after it."""
    if not totals.total:
        return None
    items = [
        (_("Approved"), by_status.get(Status.APPROVED, 0), "ok"),
        (_("Submitted, waiting for review"), by_status.get(Status.SUBMITTED, 0), ""),
        (_("Returned for correction"), by_status.get(Status.RETURNED, 0), "warn"),
        (_("Submitted on time"), totals.on_time, "ok"),
        (_("Submitted late"), totals.late, "warn"),
        (_("Not submitted"), totals.missing, "danger"),
    ]
    return bar_chart([BarItem(label, str(n), n / totals.total, tone) for label, n, tone in items], CHART)


def completeness(cycle: Cycle, parent: Unit) -> Completeness:
    rows = status_rows(cycle, parent)
    totals = totals_of(rows)
    by_status: dict[str, int] = {}
    for r in rows:
        by_status[r.status] = by_status.get(r.status, 0) + 1
    deadline = rows[0].deadline if rows else None
    return Completeness(cycle, parent, rows, totals, _chart(totals, by_status), deadline, by_status)


def status_lines(cycle: Cycle, parent: Unit) -> list[str]:
    """The contract of `treem reports status`: a line per sub-unit, then the totals."""
    rows = status_rows(cycle, parent)
    lines = []
    for r in rows:
        at = r.submitted_at.astimezone(VN_TZ).isoformat() if r.submitted_at else ""
        lines.append("\t".join((r.unit.code, r.unit.name, r.status, at, r.timeliness)))
    return [*lines, totals_of(rows).line()]


# --- the pages' lists -------------------------------------------------------------------------------------------


def open_cycles() -> QuerySet[Cycle]:
    return Cycle.objects.filter(is_open=True).select_related("report_type").order_by("-period", "code")


def current_cycle(unit: Unit) -> Cycle | None:
    """The latest open cycle (by its period's end, then the latest opened) in which the unit's direct sub-units
    report; None when they report in none (a commune: villages do not report). Two queries."""
    levels = set(
        Unit.objects.filter(parent=unit, is_active=True, structure=unit.structure)
        .values_list("level", flat=True)
        .distinct()
    )
    if not levels:
        return None
    cycles = [c for c in open_cycles().filter(structure=unit.structure) if levels & set(c.deadlines)]
    return max(cycles, key=lambda c: (c.period_obj.end, c.opened_at, c.pk), default=None)


def reports_for_user(user: User) -> QuerySet[Report]:
    return scope_queryset(user, Report.objects.select_related("cycle__report_type", "unit"))


@dataclass(frozen=True, slots=True)
class SubNarrative:
    unit: Unit
    status: str
    texts: dict[str, str]


def sub_narratives(cycle: Cycle, parent: Unit) -> list[SubNarrative]:
    """Each approved or submitted sub-unit report's narratives, for the upper level to draw on."""
    subs = reporting_units(cycle, parent)
    qs = Report.objects.filter(cycle=cycle, unit__in=subs, status__in=[Status.APPROVED, Status.SUBMITTED])
    return [SubNarrative(r.unit, r.status, r.narratives) for r in qs.select_related("unit").order_by("unit_path")]


# --- the inbox --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InboxCounts:
    to_review: int = 0
    due_soon: int = 0
    overdue: int = 0
    returned: int = 0


def inbox_counts(user: User, *, today: dt.date | None = None) -> InboxCounts:
    """Reports of the sub-units waiting for this user's review; the user's own unit's reports due soon (inside the
    cycle's reminder lead) or overdue, not yet submitted, and those returned for correction. Two queries at most."""
    today = today or today_vn()
    root = scope_root(user)
    if root is None:
        return InboxCounts()
    to_review = 0
    if user.has_capability(cap.REPORTS_REVIEW):
        to_review = Report.objects.filter(status=Status.SUBMITTED, unit__parent=root).count()
    due_soon = overdue = returned = 0
    if user.has_capability(cap.REPORTS_SUBMIT):
        mine = Report.objects.filter(cycle=OuterRef("pk"), unit=root)
        cycles = Cycle.objects.filter(is_open=True, structure=root.structure).annotate(
            done=Exists(mine.filter(first_submitted_at__isnull=False)),
            back=Exists(mine.filter(status=Status.RETURNED)),
        )
        calendar = None
        for c in cycles:
            returned += int(c.back)
            deadline = c.deadline_for(root.level)
            if c.done or deadline is None:
                continue
            if today > deadline:
                overdue += 1
            else:
                calendar = calendar or WorkCalendar()
                if today >= reminder_starts(deadline, c.reminder_days, calendar):
                    due_soon += 1
    return InboxCounts(to_review, due_soon, overdue, returned)


# --- the report's figures as the page and the document show them ---------------------------------------------


@dataclass(frozen=True, slots=True)
class FigureRow:
    indicator: Indicator
    total: str
    parts: list[tuple[str, str]]  # (breakdown option, figure) of the one-dimension breakdowns


def figure_rows(report: Report, *, exact: bool, number: Callable[[float], str] = localized) -> list[FigureRow]:
    """The report's frozen (or pre-filled) figures, one row per indicator the report type carries: the total and
    each one-dimension breakdown. For a reader without the right to exact small figures, small cells are hidden as
    the indicator tables hide them (the same suppression over the report's own figures)."""
    inds = indicators_of(report.cycle.report_type, keep=report.figures)
    by_code = {i.code: i for i in inds}
    values = [
        Value(by_code[code].pk, report.unit_id, None, disagg, v, n, d)
        for code, cells in report.figures.items()
        if code in by_code
        for disagg, (v, n, d) in cells.items()
    ]
    hidden = {} if exact or not values else hidden_cells(values, {i.pk: i for i in inds})
    labels = {
        f"{o.dimension.code}={o.code}": o.name
        for o in DimensionOption.objects.filter(dimension__code__in={d for i in inds for d in i.dimension_codes()})
        .select_related("dimension")
        .order_by("dimension__sort_order", "sort_order")
    }
    order = list(labels)
    rows = []
    for ind in inds:
        cells = report.figures.get(ind.code, {})
        total = _text(cells[""][0], hidden.get((ind.pk, report.unit_id, "")), number) if "" in cells else "—"
        parts = [
            (labels[key], _text(cells[key][0], hidden.get((ind.pk, report.unit_id, key)), number))
            for key in sorted((k for k in cells if k and ";" not in k and k in labels), key=order.index)
        ]
        rows.append(FigureRow(ind, total, parts))
    return rows


def _text(value: float, state: Hidden | None, number: Callable[[float], str]) -> str:
    return shown(value, state) if state is not None else number(value)


def vn_number(value: float) -> str:
    """A figure as a Vietnamese document writes it: 1.234 and 12,5 (a point between thousands, a decimal comma)."""
    text = format_value(value)
    whole, _, decimals = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    groups: list[str] = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return sign + ".".join(groups or ["0"]) + (f",{decimals}" if decimals else "")
