"""Who sees which plans and tasks, and a plan's progress by agency and by section.

- An agency reporter (capability tasks.report) sees the tasks assigned to their agencies, and the plans that hold
  them; nothing else (another agency's task answers 404).
- A plan manager (capability plans.manage: the province specialist, the commune officer) sees the plans of their
  unit and below, with all their tasks, and the tasks of upper plans assigned to a unit of their scope.
- A manager edits only the plans of the unit they work for (the province's plan, the commune's plan).
- Progress may be reported by a member of the task's agency, by a manager whose unit is the assigned unit (or
  above it), and by a manager of the plan's own unit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from treem.accounts import capabilities as cap
from treem.accounts import permissions as rules
from treem.accounts.scope import is_unrestricted, scope_root, unit_in_scope
from treem.core.charts import BarItem, Chart, Layout, bar_chart, shorten
from treem.core.dates import today_vn
from treem.registry.models import Child
from treem.registry.selectors import children_for_user

from .models import CLOSED_STATUSES, Agency, Plan, Programme, Task, TaskStatus

NOTHING = Q(pk__in=[])


def _active(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def agencies_of(user: Any) -> QuerySet[Agency]:
    """The agencies the user reports for."""
    if not _active(user):
        return Agency.objects.none()
    return Agency.objects.filter(members=user, is_active=True)


def _task_filter(user: Any) -> Q:
    q = NOTHING
    if user.has_capability(cap.TASKS_REPORT):
        q |= Q(agency__in=agencies_of(user))
    root = scope_root(user)
    if user.has_capability(cap.PLANS_MANAGE) and root is not None:
        q |= Q(unit_path__path_prefix=root.path) | Q(assignee_unit__path__path_prefix=root.path)
    return q


def tasks_for_user(user: Any) -> QuerySet[Task]:
    """The tasks the user may see (see the module)."""
    if not _active(user) or not rules.SEE_PLANS.allows(user):
        return Task.objects.none()
    if is_unrestricted(user):
        return Task.objects.all()
    return Task.objects.filter(_task_filter(user))


def plans_for_user(user: Any) -> QuerySet[Plan]:
    """The plans the user may open: those of their scope (a manager), and those that hold a task they see."""
    if not _active(user) or not rules.SEE_PLANS.allows(user):
        return Plan.objects.none()
    if is_unrestricted(user):
        return Plan.objects.all()
    q = Q(pk__in=tasks_for_user(user).values("plan_id"))
    root = scope_root(user)
    if user.has_capability(cap.PLANS_MANAGE) and root is not None:
        q |= Q(unit_path__path_prefix=root.path)
    return Plan.objects.filter(q)


def programmes_for_user(user: Any) -> QuerySet[Programme]:
    """The national programmes, and those of the units above and below the user's (their plans hang under them)."""
    if not _active(user) or not rules.SEE_PLANS.allows(user):
        return Programme.objects.none()
    if is_unrestricted(user):
        return Programme.objects.all()
    root = scope_root(user)
    if root is None:
        return Programme.objects.filter(unit__isnull=True)
    return Programme.objects.filter(
        Q(unit__isnull=True) | Q(unit__path__in=root.ancestor_paths()) | Q(unit__path__path_prefix=root.path)
    )


def may_manage(user: Any, plan: Plan) -> bool:
    """Edit the plan (its sections, tasks, approval): a manager of the plan's own unit."""
    if not (_active(user) and user.has_capability(cap.PLANS_MANAGE)):
        return False
    if is_unrestricted(user):
        return True
    root = scope_root(user)
    return root is not None and root.pk == plan.unit_id


def may_report(user: Any, task: Task) -> bool:
    """Record progress on the task (see the module)."""
    if not _active(user):
        return False
    if (
        user.has_capability(cap.TASKS_REPORT)
        and task.agency_id is not None
        and agencies_of(user).filter(pk=task.agency_id).exists()
    ):
        return True
    if not user.has_capability(cap.PLANS_MANAGE):
        return False
    if task.assignee_unit is not None and unit_in_scope(user, task.assignee_unit):
        return True
    return may_manage(user, task.plan)


def overdue_filter(today: dt.date) -> Q:
    """Deadline passed and not done (nor cancelled): the one rule of an overdue task."""
    return Q(deadline__lt=today) & ~Q(status__in=CLOSED_STATUSES)


def with_overdue(tasks: QuerySet[Task], today: dt.date) -> QuerySet[Task]:
    """The tasks, each with `overdue` (bool) computed by `overdue_filter` in the query."""
    return tasks.annotate(overdue=ExpressionWrapper(overdue_filter(today), output_field=BooleanField()))


def overdue_tasks(user: Any, *, today: dt.date | None = None) -> QuerySet[Task]:
    return tasks_for_user(user).filter(overdue_filter(today or today_vn()))


def event_children(user: Any) -> QuerySet[Child]:
    """The children the user may list as an event's participants: those of the registry in their scope."""
    if not rules.SEE_REGISTRY.allows(user):
        return Child.objects.none()
    return children_for_user(user)


# --- progress of a plan ---------------------------------------------------------------------------------------------

CHART = Layout(label=300, bar=520, row=26, width=900)


@dataclass(slots=True)
class ProgressRow:
    key: str
    label: str
    tasks: int = 0
    done: int = 0
    in_progress: int = 0
    overdue: int = 0
    percent_sum: int = 0

    @property
    def mean_percent(self) -> int:
        return round(self.percent_sum / self.tasks) if self.tasks else 0


@dataclass(slots=True)
class PlanProgress:
    tasks: list[Task]
    total: ProgressRow
    by_agency: list[ProgressRow] = field(default_factory=list)
    by_section: list[ProgressRow] = field(default_factory=list)
    agency_chart: Chart | None = None
    section_chart: Chart | None = None


def _count(row: ProgressRow, task: Task) -> None:
    row.tasks += 1
    row.done += task.status == TaskStatus.DONE
    row.in_progress += task.status == TaskStatus.IN_PROGRESS
    row.overdue += task.overdue  # type: ignore[attr-defined]  # from with_overdue
    row.percent_sum += task.percent


def _group(tasks: Iterable[Task], key: Callable[[Task], tuple[str, str]]) -> list[ProgressRow]:
    rows: dict[str, ProgressRow] = {}
    for t in tasks:
        k, label = key(t)
        _count(rows.setdefault(k, ProgressRow(k, label)), t)
    return list(rows.values())


def progress_chart(rows: list[ProgressRow]) -> Chart | None:
    """Horizontal bars of the rows' mean percent done (100 % is the full bar), red where a task is overdue."""
    items = [
        BarItem(
            shorten(r.label, 30), f"{r.mean_percent}%", r.mean_percent / 100, "bar-late" if r.overdue else "", r.label
        )
        for r in rows
    ]
    return bar_chart(items, CHART)


def _agency_key(t: Task) -> tuple[str, str]:
    if t.agency is not None:
        return f"a{t.agency_id}", t.agency.label
    return f"u{t.assignee_unit_id}", t.assignee_unit.name if t.assignee_unit else ""


def plan_progress(plan: Plan, tasks: QuerySet[Task], *, today: dt.date | None = None) -> PlanProgress:
    """The plan's tasks (those given: what the reader may see, each with `overdue`) counted by agency and by section:
    tasks, done, in progress, overdue and the mean percent done; one query (the page lists the same tasks)."""
    task_list = list(
        with_overdue(tasks.filter(plan=plan), today or today_vn())
        .select_related("section", "agency", "assignee_unit", "event_kind")
        .order_by("section__sort_order", "section_id", "sort_order", "pk")
    )
    total = ProgressRow("all", "")
    for t in task_list:
        _count(total, t)
    by_agency = sorted(_group(task_list, _agency_key), key=lambda r: r.label)
    by_section = _group(task_list, lambda t: (f"s{t.section_id}", str(t.section)))
    return PlanProgress(
        tasks=task_list, total=total, by_agency=by_agency, by_section=by_section,
        agency_chart=progress_chart(by_agency), section_chart=progress_chart(by_section),
    )  # fmt: skip
