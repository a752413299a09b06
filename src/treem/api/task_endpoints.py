"""Plan tasks: the tasks the caller follows (`plans.selectors.tasks_for_user`: an agency reporter only their
agencies' tasks, a manager their plans' tasks and those assigned to units of their scope), a task with its progress
history, and a progress report through `plans.services.progress_record` (its validation, history row and audit).
Capability and scope are the plans pages': a task the caller may not see answers 404, and so does a progress report on
a task the caller may see but not report on (`plans.selectors.may_report`), as on the task page."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field, field_validator

from treem.accounts import permissions as rules
from treem.accounts.scope import get_or_404
from treem.accounts.web import check_capability
from treem.core.dates import today_vn
from treem.plans import services
from treem.plans.models import ProgressUpdate, Task
from treem.plans.selectors import may_report, overdue_filter, tasks_for_user, with_overdue

from .core import ERRORS, MAX_ID, ErrorOut, api, caller, clean_text, page_of
from .endpoints import Day, Id, PageNo, PageSize

tasks = Router(tags=["tasks"])


class TaskOut(Schema):
    id: int
    plan_id: int
    plan_number: str
    plan_title: str
    plan_year: int
    unit_id: int  # the plan's unit
    section: str
    number: str
    title: str
    agency_id: int | None
    agency_name: str | None
    assignee_unit_id: int | None
    assignee_unit_name: str | None
    deadline: dt.date
    expected_result: str
    budget: int | None
    funding_source: str
    event_kind: str | None
    status: str  # not_started, in_progress, done, cancelled
    percent: int
    updated_on: dt.date | None
    overdue: bool


class TaskPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[TaskOut]


class ProgressOut(Schema):
    id: int
    on: dt.date
    status: str
    percent: int
    note: str
    difficulties: str
    author_name: str
    created_at: dt.datetime


class TaskDetailOut(TaskOut):
    description: str
    may_report: bool
    updates: list[ProgressOut]


def _no_nul(text: str) -> str:
    if "\x00" in text:
        raise ValueError("NUL character")
    return text


class ProgressIn(Schema):
    status: str
    percent: int = Field(ge=-(2**31), le=2**31)  # the service says what it accepts: 0-100
    note: str = Field("", max_length=10_000)
    difficulties: str = Field("", max_length=10_000)
    on: Day = None  # default: today (Vietnam)

    _text = field_validator("status", "note", "difficulties")(_no_nul)


def _task_out(t: Task) -> dict[str, Any]:
    """A task read through `_visible` (its `overdue` computed by the plans' one rule in the query)."""
    return {
        "id": t.pk, "plan_id": t.plan_id, "plan_number": t.plan.number, "plan_title": t.plan.title,
        "plan_year": t.plan.year, "unit_id": t.plan.unit_id, "section": str(t.section), "number": t.number,
        "title": t.title, "agency_id": t.agency_id, "agency_name": t.agency.label if t.agency else None,
        "assignee_unit_id": t.assignee_unit_id, "assignee_unit_name": t.assignee_unit.name if t.assignee_unit else None,
        "deadline": t.deadline, "expected_result": t.expected_result, "budget": t.budget,
        "funding_source": t.funding_source, "event_kind": t.event_kind.code if t.event_kind else None,
        "status": t.status, "percent": t.percent, "updated_on": t.updated_on, "overdue": t.overdue,  # type: ignore[attr-defined]  # from with_overdue
    }  # fmt: skip


def _visible(request: HttpRequest) -> Any:
    user = caller(request)
    check_capability(user, rules.SEE_PLANS)
    tasks = tasks_for_user(user).select_related("plan", "section", "agency", "assignee_unit", "event_kind")
    return with_overdue(tasks, today_vn())


def _detail(request: HttpRequest, task: Task) -> dict[str, Any]:
    updates = [
        {f: getattr(u, f) for f in ProgressOut.model_fields}
        for u in ProgressUpdate.objects.filter(task=task).order_by("-on", "-created_at", "-pk")
    ]
    return _task_out(task) | {
        "description": task.description, "may_report": may_report(caller(request), task), "updates": updates,
    }  # fmt: skip


@tasks.get("/tasks", response={200: TaskPage, ERRORS: ErrorOut}, summary="Plan tasks the caller follows")
def task_list(
    request: HttpRequest, plan: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    agency: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None, status: str = "", overdue: bool = False,
    page: PageNo = 1, page_size: PageSize = 50,
) -> dict[str, Any]:  # fmt: skip
    """The "my tasks" list, by deadline: `plan` and `agency` (ids), `status` (not_started, in_progress, done,
    cancelled), `overdue` (deadline passed, neither done nor cancelled)."""
    today = today_vn()
    qs = _visible(request)
    if plan is not None:
        qs = qs.filter(plan_id=plan)
    if agency is not None:
        qs = qs.filter(agency_id=agency)
    if status:
        qs = qs.filter(status=clean_text(status))
    if overdue:
        qs = qs.filter(overdue_filter(today))
    result = page_of(qs.order_by("deadline", "pk"), page, page_size)
    result["items"] = [_task_out(t) for t in result["items"]]
    return result


@tasks.get("/tasks/{task_id}", response={200: TaskDetailOut, ERRORS: ErrorOut}, summary="One task with its progress")
def task_get(request: HttpRequest, task_id: Id) -> dict[str, Any]:
    """The task and its progress reports, newest first; `may_report`: the caller may report progress on it."""
    return _detail(request, get_or_404(_visible(request), pk=task_id))


@tasks.post(
    "/tasks/{task_id}/progress", response={200: TaskDetailOut, ERRORS: ErrorOut}, summary="Report progress on a task"
)
def task_progress(request: HttpRequest, task_id: Id, payload: ProgressIn) -> dict[str, Any]:
    """A dated progress report (`on`, default today; `status`; `percent` 0-100, 100 when done, 0 when not started;
    `note`: what was done; `difficulties`), signed by the caller, through the plans' service: a history row and an
    audit row. Allowed where the task page allows it (a member of the task's agency, a manager of the assigned unit or
    of the plan's unit); any other task answers 404. A refused report answers 400 and stores nothing."""
    user = caller(request)
    task = get_or_404(_visible(request), pk=task_id)
    if not may_report(user, task):
        raise Http404
    services.progress_record(
        actor=user, task=task, on=payload.on or today_vn(), status=payload.status, percent=payload.percent,
        note=payload.note, difficulties=payload.difficulties,
    )  # fmt: skip
    return _detail(request, get_or_404(_visible(request), pk=task_id))  # read again: status, percent, overdue


api.add_router("/", tasks)
