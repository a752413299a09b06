"""Report status: the report cycles, and a cycle's completeness under a unit, one item per direct sub-unit. The rows
are `reporting.selectors.status_rows` and `totals_of`, the very rows `treem reports status` prints and the cycle page
shows; capability and scope are the reporting pages' (`see_reports`; a unit out of scope answers 404)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema

from treem.accounts import permissions as rules
from treem.accounts.scope import get_or_404, visible_unit
from treem.accounts.web import check_capability
from treem.core.dates import VN_TZ
from treem.indicators.tables import home_unit_or_404
from treem.reporting import selectors
from treem.reporting.models import Cycle
from treem.units.models import Unit

from .core import ERRORS, MAX_ID, ErrorOut, api, caller, clean_text, page_of
from .endpoints import Id, PageNo, PageSize

reports = Router(tags=["reports"])


class CycleOut(Schema):
    id: int
    code: str
    report_type: str
    report_type_name: str
    kind: str
    period: str
    structure: str
    deadlines: dict[str, dt.date]
    cut_off: dt.date | None
    reminder_days: int
    is_open: bool


class CyclePage(Schema):
    count: int
    page: int
    page_size: int
    items: list[CycleOut]


class StatusItemOut(Schema):
    unit_id: int
    unit_code: str
    unit_name: str
    status: str  # draft|submitted|returned|approved|missing
    submitted_at: dt.datetime | None  # the first submission, Vietnam time
    timeliness: str  # on_time|late|missing
    deadline: dt.date | None
    report_id: int | None


class TotalsOut(Schema):
    total: int
    submitted: int
    approved: int
    late: int
    missing: int
    on_time: int


class StatusPage(Schema):
    cycle: str
    unit_id: int
    unit_code: str
    unit_name: str
    totals: TotalsOut
    count: int
    page: int
    page_size: int
    items: list[StatusItemOut]


def _cycle_out(c: Cycle) -> dict[str, Any]:
    return {
        "id": c.pk, "code": c.code, "report_type": c.report_type.code, "report_type_name": c.report_type.name,
        "kind": c.report_type.kind, "period": c.period, "structure": c.structure,
        "deadlines": {level: c.deadline_for(level) for level in c.levels()}, "cut_off": c.cut_off,
        "reminder_days": c.reminder_days, "is_open": c.is_open,
    }  # fmt: skip


def _cycles() -> Any:
    return Cycle.objects.select_related("report_type").order_by("-period", "code")


@reports.get("/report-cycles", response={200: CyclePage, ERRORS: ErrorOut}, summary="Report cycles")
def cycle_list(
    request: HttpRequest, period: str = "", type: str = "", is_open: bool | None = None,  # noqa: A002 - the filter's name
    page: PageNo = 1, page_size: PageSize = 50,
) -> dict[str, Any]:  # fmt: skip
    """The rounds of the periodic reports, newest period first; `period`: 2025S1, 2025, 2025Q3…; `type`: a report
    type's code (six_month, annual, quarterly, month_of_action…); `is_open`: only open (or closed) cycles."""
    check_capability(caller(request), rules.SEE_REPORTS)
    qs = _cycles()
    if period:
        qs = qs.filter(period=clean_text(period))
    if type:
        qs = qs.filter(report_type__code=clean_text(type))
    if is_open is not None:
        qs = qs.filter(is_open=is_open)
    result = page_of(qs, page, page_size)
    result["items"] = [_cycle_out(c) for c in result["items"]]
    return result


@reports.get("/report-cycles/{cycle_id}", response={200: CycleOut, ERRORS: ErrorOut}, summary="One report cycle")
def cycle_get(request: HttpRequest, cycle_id: Id) -> dict[str, Any]:
    check_capability(caller(request), rules.SEE_REPORTS)
    return _cycle_out(get_or_404(_cycles(), pk=cycle_id))


@reports.get(
    "/report-cycles/{cycle_id}/status", response={200: StatusPage, ERRORS: ErrorOut},
    summary="A cycle's completeness and timeliness under a unit",
)  # fmt: skip
def cycle_status(
    request: HttpRequest, cycle_id: Id, unit: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    page: PageNo = 1, page_size: PageSize = 50,
) -> dict[str, Any]:  # fmt: skip
    """One item per direct sub-unit of `unit` (default: the caller's own unit) that owes a report in the cycle, in
    the order of their codes: its status (`draft`, `submitted`, `returned`, `approved`, or `missing` when no report
    was started), its first submission (Vietnam time), its deadline and its timeliness (`on_time`, `late`,
    `missing`), with the totals over all of them; the same rows as `treem reports status` and the cycle page."""
    user = caller(request)
    check_capability(user, rules.SEE_REPORTS)
    cycle = get_or_404(_cycles(), pk=cycle_id)
    parent: Unit | None = home_unit_or_404(user) if unit is None else visible_unit(user, unit)
    if parent is None:
        raise Http404  # out of scope: like a missing unit
    rows = selectors.status_rows(cycle, parent)
    totals = selectors.totals_of(rows)
    items = [
        {
            "unit_id": r.unit.pk, "unit_code": r.unit.code, "unit_name": r.unit.name, "status": r.status,
            "submitted_at": r.submitted_at.astimezone(VN_TZ) if r.submitted_at else None,
            "timeliness": r.timeliness, "deadline": r.deadline, "report_id": r.report.pk if r.report else None,
        }
        for r in rows
    ]  # fmt: skip
    out = {
        "cycle": cycle.code, "unit_id": parent.pk, "unit_code": parent.code, "unit_name": parent.name,
        "totals": {
            "total": totals.total, "submitted": totals.submitted, "approved": totals.approved, "late": totals.late,
            "missing": totals.missing, "on_time": totals.on_time,
        },
    }  # fmt: skip
    return out | page_of(items, page, page_size)


api.add_router("/", reports)
