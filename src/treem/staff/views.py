"""Pages of the roster: the people of a unit, the coverage of a unit (communes with no officer, villages with no
collaborator), a person's page with the panels other apps add, and the forms for people without an account.
Thin: the work is in `services` and `selectors`; out of scope is 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from treem.accounts import permissions as rules
from treem.accounts.scope import get_for_user_or_404, is_unrestricted, scope_root, visible_unit
from treem.accounts.web import AuthedRequest, form_errors_to, require_capability
from treem.core.dates import today_vn
from treem.units.models import Level, Structure, Unit

from . import selectors, services
from .forms import EndForm, WorkerEditForm, WorkerForm
from .models import Position, Worker
from .panels import worker_panels


def _home_unit(request: AuthedRequest) -> Unit:
    root = scope_root(request.user)
    if root is None and is_unrestricted(request.user):
        root = Unit.objects.filter(structure=Structure.CURRENT, level=Level.NATION).first()
    if root is None:
        raise Http404
    return root


def _unit(request: AuthedRequest) -> Unit:
    unit_id = request.GET.get("unit")
    unit = visible_unit(request.user, unit_id) if unit_id else _home_unit(request)
    if unit is None:
        raise Http404
    return unit


def _crumbs(request: AuthedRequest, unit: Unit) -> list[Unit]:
    """The units above `unit` the user may see, top first."""
    root = None if is_unrestricted(request.user) else scope_root(request.user)
    paths = [p for p in unit.ancestor_paths() if p != unit.path and (root is None or p.startswith(root.path))]
    return sorted(Unit.objects.filter(path__in=paths), key=lambda u: len(u.path))


def _below(unit: Unit) -> list[Unit]:
    return list(Unit.objects.filter(parent=unit, is_active=True).order_by("name"))


@require_capability(rules.SEE_STAFF)
def roster(request: AuthedRequest) -> HttpResponse:
    unit = _unit(request)
    past = request.GET.get("past") == "1"
    position = request.GET.get("position", "")
    if position and position not in Position.values:
        position = ""
    query = request.GET.get("q", "").strip()
    workers = selectors.roster(request.user, unit, day=today_vn(), position=position, past=past, query=query)
    context = {
        "unit": unit, "crumbs": _crumbs(request, unit), "below": _below(unit), "workers": workers[:500],
        "more": workers.count() > 500, "past": past, "position": position, "query": query,
        "positions": Position.choices, "today": today_vn(),
        "may_add": unit.level in (Level.COMMUNE, Level.VILLAGE) and services.may_manage(request.user, unit),
    }  # fmt: skip
    return render(request, "staff/roster.html", context)


@require_capability(rules.SEE_STAFF)
def coverage(request: AuthedRequest) -> HttpResponse:
    unit = _unit(request)
    cover = selectors.coverage(unit, day=today_vn())
    context = {"unit": unit, "crumbs": _crumbs(request, unit), "below": _below(unit), "cover": cover}
    return render(request, "staff/coverage.html", context)


def _worker(request: AuthedRequest, pk: int) -> Worker:
    return get_for_user_or_404(request.user, selectors.visible_workers(request.user), pk=pk)


@require_capability(rules.SEE_STAFF)
def worker_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    worker = _worker(request, pk)
    posts = selectors.visible_workers(request.user).filter(user=worker.user) if worker.user_id else None
    may_manage = services.may_manage(request.user, worker.unit)
    context = {
        "worker": worker, "crumbs": [*_crumbs(request, worker.unit), worker.unit],
        "other_posts": posts.exclude(pk=worker.pk) if posts is not None else [],
        "may_manage": may_manage, "active": worker.active_on(today_vn()),
        "end_form": EndForm(initial={"until": today_vn()}) if may_manage and not worker.from_account else None,
        "panels": worker_panels(request, worker),
    }  # fmt: skip
    return render(request, "staff/worker.html", context)


def _post_choices(unit: Unit) -> list[tuple[str, str]]:
    """The posts a person can be added to from this unit: a commune's officer and its villages' collaborators, or the
    village's collaborator."""
    officer, collaborator = Position.OFFICER.label, Position.COLLABORATOR.label
    if unit.level == Level.VILLAGE:
        return [(f"{Position.COLLABORATOR}:{unit.pk}", f"{collaborator} · {unit.name}")]
    villages = Unit.objects.filter(parent=unit, level=Level.VILLAGE, is_active=True).order_by("name")
    return [(f"{Position.OFFICER}:{unit.pk}", f"{officer} · {unit.name}")] + [
        (f"{Position.COLLABORATOR}:{v.pk}", f"{collaborator} · {v.name}") for v in villages
    ]


@require_capability(rules.MANAGE_STAFF)
def worker_add(request: AuthedRequest, unit_id: int) -> HttpResponse:
    unit = visible_unit(request.user, unit_id)
    if unit is None or unit.level not in (Level.COMMUNE, Level.VILLAGE):
        raise Http404
    form = WorkerForm(request.POST or None, initial={"since": today_vn()})
    form.fields["unit"].choices = _post_choices(unit)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        position, _sep, pk = form.cleaned_data["unit"].partition(":")
        try:
            worker = services.worker_create(
                actor=request.user, position=position, unit=visible_unit(request.user, pk),
                full_name=form.cleaned_data["full_name"], sex=form.cleaned_data["sex"],
                phone=form.cleaned_data["phone"], since=form.cleaned_data["since"], note=form.cleaned_data["note"],
            )  # fmt: skip
        except ValidationError as exc:
            form_errors_to(form, exc)
        else:
            messages.success(request, _("%(name)s is on the roster.") % {"name": worker.full_name})
            return redirect("staff:worker", worker.pk)
    context = {"form": form, "unit": unit, "crumbs": [*_crumbs(request, unit), unit], "title": _("Add a person")}
    return render(request, "staff/worker_form.html", context)


@require_capability(rules.MANAGE_STAFF)
def worker_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    worker = _worker(request, pk)
    if not services.may_manage(request.user, worker.unit):
        raise PermissionDenied
    initial = {k: getattr(worker, k) for k in ("full_name", "sex", "phone", "since", "note")}
    form = WorkerEditForm(request.POST or None, initial=initial, from_account=worker.from_account)
    if request.method == "POST" and form.is_valid():
        try:
            services.worker_update(actor=request.user, worker=worker, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_to(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("staff:worker", worker.pk)
    context = {
        "form": form, "unit": worker.unit, "worker": worker, "crumbs": [*_crumbs(request, worker.unit), worker.unit],
        "title": _("Edit %(name)s") % {"name": worker.full_name},
    }  # fmt: skip
    return render(request, "staff/worker_form.html", context)


@require_capability(rules.MANAGE_STAFF)
@require_POST
def worker_end(request: AuthedRequest, pk: int) -> HttpResponse:
    worker = _worker(request, pk)
    form = EndForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
        return redirect("staff:worker", worker.pk)
    try:
        services.worker_end(
            actor=request.user, worker=worker, until=form.cleaned_data["until"], note=form.cleaned_data["note"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s has left the post.") % {"name": worker.full_name})
    return redirect("staff:worker", worker.pk)
