"""Activity pages: the list (with the counts by type of a year), recording an activity, an activity with its parts.

Thin views: the selectors decide what a user sees (another agency's activity answers 404), the services what a user
may write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from treem.accounts.scope import get_or_404, scope_queryset
from treem.accounts.web import AuthedRequest, form_errors_to, require_capability
from treem.core.dates import today_vn
from treem.core.money import vnd
from treem.finance.models import FundingSource
from treem.plans.selectors import tasks_for_user
from treem.registry.selectors import children_for_user, search_filter
from treem.units.models import Structure, Unit

from . import services
from .forms import (
    ActivityForm,
    CostForm,
    DecisionForm,
    EvidenceForm,
    FindingDoneForm,
    FindingForm,
    MaterialForm,
    PersonForm,
)
from .models import Activity, CostLine, Evidence, Finding, ListedPerson, PeopleList
from .selectors import SEE_ACTIVITIES, activities_for_user, may_edit, organisers_for, summary_by_type

PICKER_LIMIT = 20


def _activity_or_404(request: AuthedRequest, pk: int) -> Activity:
    qs = activities_for_user(request.user).select_related("type", "unit", "organiser", "task", "created_by")
    return get_or_404(qs, pk=pk)


def _editable_or_404(request: AuthedRequest, pk: int) -> Activity:
    activity = _activity_or_404(request, pk)
    if not may_edit(request.user, activity):
        raise Http404
    return activity


def _units(request: AuthedRequest) -> QuerySet[Unit]:
    units = Unit.objects.filter(structure=Structure.CURRENT, is_active=True)
    return scope_queryset(request.user, units).order_by("path")


@require_capability(SEE_ACTIVITIES)
def activity_list(request: AuthedRequest) -> HttpResponse:
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() else today_vn().year
    activities = activities_for_user(request.user).filter(starts_on__year=year)
    rows, total = summary_by_type(activities)
    items = activities.select_related("type", "unit", "organiser").order_by("-starts_on", "-pk")
    return render(
        request, "activities/activity_list.html",
        {"activities": items, "rows": rows, "total": total, "year": year, "years": range(today_vn().year, 2019, -1)},
    )  # fmt: skip


@require_capability(SEE_ACTIVITIES)
def activity_add(request: AuthedRequest) -> HttpResponse:
    form = ActivityForm(
        request.POST or None, units=_units(request), organisers=organisers_for(request.user),
        tasks=tasks_for_user(request.user).select_related("plan"),
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(actor=request.user, **form.cleaned_data)
        except PermissionDenied:
            form.add_error("organiser", _("You may record only the activities of your scope or of your agency."))
        except ValidationError as exc:
            form_errors_to(form, exc)
        else:
            messages.success(request, _("Activity recorded."))
            return redirect("activities:activity_detail", pk=activity.pk)
    return render(request, "activities/activity_form.html", {"form": form})


@require_capability(SEE_ACTIVITIES)
def activity_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    activity = _editable_or_404(request, pk)
    initial = {name: getattr(activity, name) for name in ActivityForm.base_fields}
    form = ActivityForm(
        request.POST or None, initial=initial, units=_units(request), organisers=organisers_for(request.user),
        tasks=tasks_for_user(request.user).select_related("plan"),
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(actor=request.user, activity=activity, **form.cleaned_data)
        except PermissionDenied:
            form.add_error("organiser", _("You may record only the activities of your scope or of your agency."))
        except ValidationError as exc:
            form_errors_to(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("activities:activity_detail", pk=activity.pk)
    return render(request, "activities/activity_form.html", {"form": form, "activity": activity})


@require_capability(SEE_ACTIVITIES)
def activity_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    activity = _activity_or_404(request, pk)
    editable = may_edit(request.user, activity)
    people = activity.people.select_related("child", "worker", "worker__unit")
    if activity.type.people_list == PeopleList.CLUB_MEMBERS:  # the children shown are those of the reader's scope
        people = people.filter(child__in=children_for_user(request.user))
    cost_lines = list(activity.cost_lines.select_related("source"))
    context: dict[str, Any] = {
        "activity": activity,
        "editable": editable,
        "people": people,
        "cost_lines": cost_lines,
        "cost_total": vnd(sum(line.amount for line in cost_lines)),
    }
    if editable:
        context |= {
            "material_form": MaterialForm(), "finding_form": FindingForm(), "decision_form": DecisionForm(),
            "cost_form": CostForm(sources=FundingSource.objects.all()), "evidence_form": EvidenceForm(),
        }  # fmt: skip
    return render(request, "activities/activity_detail.html", context)


def _post_part(
    request: AuthedRequest, pk: int, form_class: Callable[..., Any], write: Callable[..., Any], **form_kwargs: Any
) -> HttpResponse:
    """A part added from the activity page: parse, write through the service, back to the page."""
    activity = _editable_or_404(request, pk)
    form = form_class(request.POST, request.FILES, **form_kwargs)
    if form.is_valid():
        try:
            write(actor=request.user, activity=activity, **form.cleaned_data)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("activities:activity_detail", pk=activity.pk)


@require_POST
@require_capability(SEE_ACTIVITIES)
def material_add(request: AuthedRequest, pk: int) -> HttpResponse:
    return _post_part(request, pk, MaterialForm, services.material_add)


@require_POST
@require_capability(SEE_ACTIVITIES)
def finding_add(request: AuthedRequest, pk: int) -> HttpResponse:
    return _post_part(request, pk, FindingForm, services.finding_add)


@require_POST
@require_capability(SEE_ACTIVITIES)
def finding_done(request: AuthedRequest, pk: int, finding_id: int) -> HttpResponse:
    activity = _editable_or_404(request, pk)
    finding = get_or_404(Finding.objects.filter(activity=activity), pk=finding_id)

    def write(*, actor: Any, activity: Activity, done_on: dt.date) -> Finding:
        return services.finding_done(actor=actor, finding=finding, done_on=done_on)

    return _post_part(request, pk, FindingDoneForm, write)


@require_POST
@require_capability(SEE_ACTIVITIES)
def decision_add(request: AuthedRequest, pk: int) -> HttpResponse:
    return _post_part(request, pk, DecisionForm, services.decision_add)


@require_POST
@require_capability(SEE_ACTIVITIES)
def cost_add(request: AuthedRequest, pk: int) -> HttpResponse:
    return _post_part(request, pk, CostForm, services.cost_add, sources=FundingSource.objects.all())


@require_POST
@require_capability(SEE_ACTIVITIES)
def cost_remove(request: AuthedRequest, pk: int, line_id: int) -> HttpResponse:
    activity = _editable_or_404(request, pk)
    line = get_or_404(CostLine.objects.filter(activity=activity), pk=line_id)
    services.cost_remove(actor=request.user, line=line)
    return redirect("activities:activity_detail", pk=activity.pk)


@require_POST
@require_capability(SEE_ACTIVITIES)
def evidence_add(request: AuthedRequest, pk: int) -> HttpResponse:
    def write(*, actor: Any, activity: Activity, file: Any) -> Evidence:
        return services.evidence_add(actor=actor, activity=activity, upload=file)

    return _post_part(request, pk, EvidenceForm, write)


@require_capability(SEE_ACTIVITIES)
def evidence_download(request: AuthedRequest, pk: int) -> FileResponse:
    evidence = get_or_404(Evidence.objects.filter(activity__in=activities_for_user(request.user)), pk=pk)
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.name)


# --- lists of people ------------------------------------------------------------------------------------------------


def _candidates(request: AuthedRequest, activity: Activity) -> QuerySet[Any]:
    if activity.type.people_list == PeopleList.CLUB_MEMBERS:
        return children_for_user(request.user)
    if activity.type.people_list == PeopleList.TRAINEES:
        return services.trainees_for(request.user)
    raise Http404


@require_capability(SEE_ACTIVITIES)
def person_picker(request: AuthedRequest, pk: int) -> HttpResponse:
    """HTMX: the children (club members) or staff people (trainees) in the user's scope matching the search."""
    activity = _editable_or_404(request, pk)
    candidates = _candidates(request, activity)
    q = request.GET.get("q", "").strip()
    found: list[Any] = []
    if len(q) >= 2:
        if activity.type.people_list == PeopleList.CLUB_MEMBERS:
            children = activity.people.filter(child__isnull=False).values("child_id")
            qs = search_filter(candidates, q).exclude(pk__in=children).select_related("commune")
            found = list(qs.order_by("full_name", "pk")[:PICKER_LIMIT])
        else:
            workers = activity.people.filter(worker__isnull=False).values("worker_id")
            qs = candidates.filter(full_name__icontains=q).exclude(pk__in=workers).select_related("unit")
            found = list(qs.order_by("full_name", "pk")[:PICKER_LIMIT])
    return render(request, "activities/_picker.html", {"activity": activity, "found": found, "q": q})


@require_POST
@require_capability(SEE_ACTIVITIES)
def person_add(request: AuthedRequest, pk: int) -> HttpResponse:
    activity = _editable_or_404(request, pk)
    form = PersonForm(request.POST)
    if not form.is_valid():
        raise Http404
    person = get_or_404(_candidates(request, activity), pk=form.cleaned_data["person"])
    key = "child" if activity.type.people_list == PeopleList.CLUB_MEMBERS else "worker"
    try:
        services.person_add(actor=request.user, activity=activity, **{key: person})
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("activities:activity_detail", pk=activity.pk)


@require_POST
@require_capability(SEE_ACTIVITIES)
def person_remove(request: AuthedRequest, pk: int, person_id: int) -> HttpResponse:
    activity = _editable_or_404(request, pk)
    person = get_or_404(ListedPerson.objects.filter(activity=activity), pk=person_id)
    try:
        services.person_remove(actor=request.user, person=person)
    except PermissionDenied:
        raise Http404 from None
    return redirect("activities:activity_detail", pk=activity.pk)
