"""Plan pages: programmes, plans, a plan's progress, a task with its progress form, an agency reporter's tasks.

Thin views: the selectors decide what a user sees (another agency's task answers 404), the services what a user
may write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from treem.accounts import permissions as rules
from treem.accounts.scope import get_or_404, scope_root
from treem.accounts.web import AuthedRequest, form_errors_to, require_capability
from treem.core.dates import today_vn
from treem.indicators.targets import TargetRow, targets_for
from treem.registry.selectors import search_filter

from . import services
from .forms import (
    ApproveForm,
    EventReportForm,
    FollowUpForm,
    PlanForm,
    ProgressForm,
    RecommendationForm,
    SectionForm,
    TaskForm,
)
from .models import Evidence, Participant, Plan, Recommendation, Task, TaskStatus
from .selectors import (
    agencies_of,
    event_children,
    may_manage,
    may_report,
    overdue_filter,
    plan_progress,
    plans_for_user,
    programmes_for_user,
    tasks_for_user,
    with_overdue,
)

PICKER_LIMIT = 20


def _plan_or_404(request: AuthedRequest, pk: int) -> Plan:
    return get_or_404(plans_for_user(request.user).select_related("unit", "programme"), pk=pk)


def _task_or_404(request: AuthedRequest, pk: int) -> Task:
    """The task (with `overdue`) if the user may see it."""
    qs = with_overdue(tasks_for_user(request.user), today_vn()).select_related(
        "plan", "plan__unit", "section", "agency", "assignee_unit", "event_kind"
    )
    return get_or_404(qs, pk=pk)


@require_capability(rules.SEE_PLANS)
def programmes(request: AuthedRequest) -> HttpResponse:
    today = today_vn()
    items = []
    by_unit: dict[int, list[TargetRow]] = {}  # a unit's targets are computed once, however many programmes it has
    for p in programmes_for_user(request.user).select_related("unit").prefetch_related("targets__indicator"):
        target_ids = {t.pk for t in p.targets.all()}
        rows = []
        if p.unit is not None:
            if p.unit.pk not in by_unit:
                by_unit[p.unit.pk] = targets_for(p.unit, today.year)
            rows = [r for r in by_unit[p.unit.pk] if r.target.pk in target_ids]
        items.append({"programme": p, "targets": list(p.targets.all()), "rows": rows})
    plans = plans_for_user(request.user).select_related("unit")
    return render(request, "plans/programmes.html", {"items": items, "plans": plans, "year": today.year})


@require_capability(rules.SEE_PLANS)
def plan_list(request: AuthedRequest) -> HttpResponse:
    plans = plans_for_user(request.user).select_related("unit", "programme")
    year = request.GET.get("year", "")
    if year.isdigit():
        plans = plans.filter(year=int(year))
    years = sorted(set(plans_for_user(request.user).values_list("year", flat=True)), reverse=True)
    return render(request, "plans/plan_list.html", {"plans": plans, "years": years, "year": year})


@require_capability(rules.MANAGE_PLANS)
def plan_add(request: AuthedRequest) -> HttpResponse:
    """A new plan of the unit the user works for (the province's, the commune's)."""
    unit = scope_root(request.user)
    if unit is None:
        raise Http404
    form = PlanForm(request.POST or None, programmes=programmes_for_user(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_to(form, exc)
        else:
            messages.success(request, _("Plan added."))
            return redirect("plans:plan_detail", pk=plan.pk)
    return render(request, "plans/plan_form.html", {"form": form, "unit": unit})


def _plan_context(request: AuthedRequest, plan: Plan) -> dict[str, Any]:
    visible = tasks_for_user(request.user)
    return {
        "plan": plan,
        "progress": plan_progress(plan, visible),
        "may_manage": may_manage(request.user, plan),
        "today": today_vn(),
    }


@require_capability(rules.SEE_PLANS)
def plan_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = _plan_or_404(request, pk)
    context = _plan_context(request, plan)
    if context["may_manage"]:
        context |= {"section_form": SectionForm(), "task_form": TaskForm(plan=plan), "approve_form": ApproveForm()}
    return render(request, "plans/plan_detail.html", context)


@require_POST
@require_capability(rules.MANAGE_PLANS)
def section_add(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = _plan_or_404(request, pk)
    form = SectionForm(request.POST)
    if form.is_valid():
        try:
            services.section_create(actor=request.user, plan=plan, **form.cleaned_data)
        except PermissionDenied:
            raise Http404 from None
        messages.success(request, _("Section added."))
    else:
        messages.error(request, _("Give the section a title."))
    return redirect("plans:plan_detail", pk=plan.pk)


@require_POST
@require_capability(rules.MANAGE_PLANS)
def plan_approve(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = _plan_or_404(request, pk)
    form = ApproveForm(request.POST)
    if form.is_valid():
        try:
            services.plan_approve(actor=request.user, plan=plan, **form.cleaned_data)
            messages.success(request, _("Approval recorded."))
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Give the date of approval."))
    return redirect("plans:plan_detail", pk=plan.pk)


@require_capability(rules.MANAGE_PLANS)
def task_add(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = _plan_or_404(request, pk)
    if not may_manage(request.user, plan):
        raise Http404
    form = TaskForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.task_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_to(form, exc)
        else:
            messages.success(request, _("Task added."))
            return redirect("plans:task_detail", pk=task.pk)
    return render(request, "plans/task_form.html", {"plan": plan, "form": form})


def _task_context(request: AuthedRequest, task: Task, form: ProgressForm | None = None) -> dict[str, Any]:
    user = request.user
    reporter = may_report(user, task)
    context: dict[str, Any] = {
        "task": task,
        "updates": task.updates.all(),
        "evidence": task.evidence.all(),
        "may_report": reporter,
        "today": today_vn(),
    }
    if reporter:
        context["form"] = form or ProgressForm(
            initial={"on": today_vn(), "status": task.status, "percent": task.percent}
        )
    if task.event_kind_id is not None:
        shown = event_children(user).values("pk")
        report = getattr(task, "event_report", None)
        context |= {
            "report": report,
            "participants": task.participants.filter(child__in=shown).select_related("child", "child__commune"),
            "participant_count": task.participants.count(),
            "may_pick": reporter and rules.SEE_REGISTRY.allows(user),
            "recommendations": task.recommendations.all(),
        }
        if reporter:
            fields = ("held_on", "narrative", "children_count", "adults_count")
            initial = {f: getattr(report, f) for f in fields} if report else {}
            context |= {
                "report_form": EventReportForm(initial=initial),
                "recommendation_form": RecommendationForm(),
                "follow_up_form": FollowUpForm(),
            }
    return context


@require_capability(rules.SEE_PLANS)
def task_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    task = _task_or_404(request, pk)
    return render(request, "plans/task_detail.html", _task_context(request, task))


@require_POST
@require_capability(rules.SEE_PLANS)
def progress_add(request: AuthedRequest, pk: int) -> HttpResponse:
    task = _task_or_404(request, pk)
    if not may_report(request.user, task):
        raise Http404
    form = ProgressForm(request.POST, request.FILES)
    saved = False
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.progress_record(
                actor=request.user, task=task, on=data["on"], status=data["status"], percent=data["percent"],
                note=data["note"], difficulties=data["difficulties"], evidence=data["evidence"],
            )  # fmt: skip
        except ValidationError as exc:
            form_errors_to(form, exc)
        else:
            task = _task_or_404(request, pk)  # the new status, percent and overdue
            saved = True
            if not request.htmx:  # the partial says it itself
                messages.success(request, _("Progress recorded."))
    context = _task_context(request, task, None if saved else form) | {"saved": saved}
    if request.htmx:
        return render(request, "plans/_progress.html", context)
    if saved:
        return redirect("plans:task_detail", pk=task.pk)
    return render(request, "plans/task_detail.html", context)


@require_capability(rules.SEE_PLANS)
def evidence_download(request: AuthedRequest, pk: int) -> FileResponse:
    evidence = get_or_404(Evidence.objects.filter(task__in=tasks_for_user(request.user)), pk=pk)
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.name)


@require_POST
@require_capability(rules.SEE_PLANS)
def event_report(request: AuthedRequest, pk: int) -> HttpResponse:
    task = _task_or_404(request, pk)
    if not may_report(request.user, task) or task.event_kind_id is None:
        raise Http404
    form = EventReportForm(request.POST)
    if form.is_valid():
        try:
            services.event_report_save(actor=request.user, task=task, **form.cleaned_data)
            messages.success(request, _("Event report saved."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Check the counts and the date."))
    return redirect("plans:task_detail", pk=task.pk)


@require_capability(rules.SEE_PLANS, rules.SEE_REGISTRY)
def participant_picker(request: AuthedRequest, pk: int) -> HttpResponse:
    """HTMX: children of the registry in the user's scope matching the search, to add to the event."""
    task = _task_or_404(request, pk)
    if not may_report(request.user, task) or task.event_kind_id is None:
        raise Http404
    q = request.GET.get("q", "").strip()
    children = []
    if len(q) >= 2:
        taken = task.participants.values("child_id")
        qs = search_filter(event_children(request.user), q).exclude(pk__in=taken).select_related("commune")
        children = list(qs.order_by("full_name", "pk")[:PICKER_LIMIT])
    return render(request, "plans/_picker.html", {"task": task, "children": children, "q": q})


@require_POST
@require_capability(rules.SEE_PLANS, rules.SEE_REGISTRY)
def participant_add(request: AuthedRequest, pk: int) -> HttpResponse:
    task = _task_or_404(request, pk)
    child_id = request.POST.get("child", "")
    if not child_id.isdigit():
        raise Http404
    child = get_or_404(event_children(request.user), pk=int(child_id))
    try:
        services.participant_add(actor=request.user, task=task, child=child)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("plans:task_detail", pk=task.pk)


@require_POST
@require_capability(rules.SEE_PLANS, rules.SEE_REGISTRY)
def participant_remove(request: AuthedRequest, pk: int, participant_id: int) -> HttpResponse:
    task = _task_or_404(request, pk)
    participant = get_or_404(Participant.objects.filter(task=task), pk=participant_id)
    try:
        services.participant_remove(actor=request.user, participant=participant)
    except PermissionDenied:
        raise Http404 from None
    return redirect("plans:task_detail", pk=task.pk)


@require_POST
@require_capability(rules.SEE_PLANS)
def recommendation_add(request: AuthedRequest, pk: int) -> HttpResponse:
    task = _task_or_404(request, pk)
    form = RecommendationForm(request.POST)
    if form.is_valid():
        try:
            services.recommendation_add(actor=request.user, task=task, **form.cleaned_data)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Write the recommendation."))
    return redirect("plans:task_detail", pk=task.pk)


@require_POST
@require_capability(rules.SEE_PLANS)
def recommendation_follow_up(request: AuthedRequest, pk: int, rec_id: int) -> HttpResponse:
    task = _task_or_404(request, pk)
    rec = get_or_404(Recommendation.objects.filter(task=task), pk=rec_id)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.recommendation_follow_up(actor=request.user, recommendation=rec, **form.cleaned_data)
        except PermissionDenied:
            raise Http404 from None
    return redirect("plans:task_detail", pk=task.pk)


@require_capability(rules.SEE_PLANS)
def my_tasks(request: AuthedRequest) -> HttpResponse:
    """The tasks the user follows: an agency reporter's agencies' tasks; a manager's plans' tasks and those assigned
    to units of their scope. `?overdue=1`: only the overdue ones."""
    today = today_vn()
    tasks = with_overdue(tasks_for_user(request.user), today).select_related(
        "plan", "plan__unit", "agency", "assignee_unit", "event_kind"
    )
    overdue_only = request.GET.get("overdue") == "1"
    if overdue_only:
        tasks = tasks.filter(overdue_filter(today))
    status = request.GET.get("status", "")
    if status in TaskStatus.values:
        tasks = tasks.filter(status=status)
    context = {
        "tasks": tasks.order_by("deadline", "pk"),
        "agencies": agencies_of(request.user),
        "overdue_only": overdue_only,
        "status": status,
        "statuses": TaskStatus.choices,
    }
    return render(request, "plans/my_tasks.html", context)
