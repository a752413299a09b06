"""Pages of disasters and epidemics under /support/disasters/: the events, declaring one, an event's affected
children (propose, review, add by hand) and its relief rounds. Thin: the work is in `disaster_services`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from treem.accounts import permissions as rules
from treem.accounts.scope import scope_queryset, scope_root, unit_in_scope, visible_unit
from treem.accounts.web import AuthedRequest, form_errors_to, require_capability
from treem.core.dates import today_vn
from treem.core.forms import VNDateField
from treem.registry.selectors import children_for_user
from treem.units.models import Level, Unit

from . import disaster_selectors as ds
from . import disaster_services, services
from .forms import AffectedAddForm, DisasterForm, ReliefRoundForm, ReviewForm
from .models import AffectedChild, AffectedStatus, Disaster, Programme
from .views import child_search_results


def _may_manage(request: AuthedRequest) -> bool:
    """The event's managers (commune officer, province specialist); a village collaborator only reads."""
    root = scope_root(request.user)
    return ds.MANAGE_DISASTERS.allows(request.user) and (root is None or root.level != Level.VILLAGE)


def _declaring_units(request: AuthedRequest) -> list[Unit]:
    """The units the user may declare an event for: their own (a commune or a province), and the communes below."""
    root = scope_root(request.user)
    units = scope_queryset(request.user, Unit.objects.filter(level__in=(Level.PROVINCE, Level.COMMUNE), is_active=True))
    out = list(units.order_by("path")[:500])
    if root is not None and root in out:
        out.remove(root)
        out.insert(0, root)
    return out


def _disaster_form(request: AuthedRequest, unit: Unit | None) -> DisasterForm:
    form = DisasterForm(request.POST or None, initial={"started_on": today_vn()})
    form.fields["kind"].queryset = ds.disaster_kinds()  # type: ignore[attr-defined]
    form.fields["unit"].choices = [(str(u.pk), u.full_path or u.name) for u in _declaring_units(request)]  # type: ignore[attr-defined]
    places = ds.places_to_choose(unit) if unit is not None else Unit.objects.none()
    form.fields["places"].queryset = scope_queryset(request.user, places)  # type: ignore[attr-defined]
    form.fields["places"].label_from_instance = lambda u: u.name  # type: ignore[attr-defined]
    return form


@require_capability(rules.SEE_REGISTRY)
def disasters(request: AuthedRequest) -> HttpResponse:
    """The events the user sees; a manager declares one (for a province: `?unit=` picks the unit first)."""
    may_manage = _may_manage(request)
    raw_unit = request.POST.get("unit") or request.GET.get("unit") or ""
    unit = visible_unit(request.user, raw_unit) if raw_unit else scope_root(request.user)
    form = _disaster_form(request, unit) if may_manage else None
    if request.method == "POST":
        if not may_manage or form is None:
            raise PermissionDenied
        if unit is None:
            raise Http404
        if form.is_valid():
            d = form.cleaned_data
            try:
                disaster = disaster_services.disaster_declare(
                    actor=request.user, kind=d["kind"], unit=unit, places=list(d["places"]),
                    started_on=d["started_on"], ended_on=d["ended_on"], name=d["name"], description=d["description"],
                )  # fmt: skip
            except ValidationError as exc:
                form_errors_to(form, exc)
            else:
                messages.success(request, _("The event was declared. Propose the children who lived there."))
                return redirect("support:disaster", disaster.pk)
    if form is not None and unit is not None:
        form.initial["unit"] = str(unit.pk)
    events = ds.disasters_for(request.user).prefetch_related("places")
    context = {"disasters": events, "form": form, "unit": unit, "may_manage": may_manage}
    return render(request, "support/disasters.html", context)


def _context(request: AuthedRequest, disaster: Disaster, **extra: Any) -> dict[str, Any]:
    rows = list(ds.affected_rows(request.user, disaster))
    delivered = ds.deliveries_for(disaster, [r.child_id for r in rows])
    for r in rows:
        r.deliveries = delivered.get(r.child_id, [])  # type: ignore[attr-defined]
    may_manage = _may_manage(request)
    needs = list(ds.need_kinds())
    round_form = None
    if may_manage:
        round_form = ReliefRoundForm(initial={"on": today_vn()})
        round_form.fields["programme"].queryset = Programme.objects.filter(is_active=True).order_by(  # type: ignore[attr-defined]
            "-kind", "code"
        )
        places = disaster.places.select_related("parent")
        units = [disaster.unit, *(p.parent if p.level == Level.VILLAGE and p.parent else p for p in places)]
        units = [u for u in dict.fromkeys(units) if u.level != Level.VILLAGE and unit_in_scope(request.user, u)]
        round_form.fields["unit"].choices = [(str(u.pk), u.name) for u in units]  # type: ignore[attr-defined]
    return {
        "disaster": disaster, "places": disaster.places.order_by("path"), "rows": rows, "counts": ds.counts(rows),
        "needs": needs, "statuses": AffectedStatus.choices, "may_manage": may_manage,
        "may_propose": may_manage and unit_in_scope(request.user, disaster.unit),
        "rounds": scope_queryset(request.user, disaster.rounds.select_related("programme", "unit")),
        "round_form": round_form, "end": ds.event_end(disaster), **extra,
    }  # fmt: skip


@require_capability(rules.SEE_REGISTRY)
@require_GET
def disaster(request: AuthedRequest, pk: int) -> HttpResponse:
    event = ds.disaster_get(request.user, pk)
    return render(request, "support/disaster.html", _context(request, event))


@require_capability(rules.SEE_REGISTRY)
@require_POST
def disaster_propose(request: AuthedRequest, pk: int) -> HttpResponse:
    event = ds.disaster_get(request.user, pk)
    try:
        result = disaster_services.affected_propose(actor=request.user, disaster=event)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        text = _("%(n)s children who lived there during the event were proposed.") % {"n": result.added}
        messages.success(request, text)
    return redirect("support:disaster", event.pk)


@require_capability(rules.SEE_REGISTRY)
@require_POST
def disaster_end(request: AuthedRequest, pk: int) -> HttpResponse:
    event = ds.disaster_get(request.user, pk)
    raw = request.POST.get("ended_on", "")
    try:
        ended = VNDateField().clean(raw)
        disaster_services.disaster_end(actor=request.user, disaster=event, ended_on=ended)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("support:disaster", event.pk)


def _row(request: AuthedRequest, event: Disaster, row_pk: int) -> AffectedChild:
    """A row of the event in the user's scope, or 404."""
    return get_object_or_404(scope_queryset(request.user, event.affected.all()), pk=row_pk)


@require_capability(rules.SEE_REGISTRY)
@require_POST
def affected_review(request: AuthedRequest, pk: int, row_pk: int) -> HttpResponse:
    """HTMX (or a plain form): confirm a child affected with the needs, mark not affected with the reason."""
    event = ds.disaster_get(request.user, pk)
    row = _row(request, event, row_pk)
    form = ReviewForm(request.POST)
    form.fields["status"].choices = AffectedStatus.choices  # type: ignore[attr-defined]
    form.fields["needs"].queryset = ds.need_kinds()  # type: ignore[attr-defined]
    error = ""
    if form.is_valid():
        d = form.cleaned_data
        try:
            disaster_services.affected_review(
                actor=request.user, row=row, status=d["status"], reason=d["reason"], needs=list(d["needs"]),
                note=d["note"],
            )  # fmt: skip
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    if request.headers.get("HX-Request"):
        context = _context(request, event, row_error=error, error_row=row.pk)
        context["r"] = next(r for r in context["rows"] if r.pk == row.pk)
        return render(request, "support/disaster.html#affected_row", context)
    if error:
        messages.error(request, error)
    return redirect(f"{reverse('support:disaster', args=[event.pk])}#row-{row.pk}")


@require_capability(rules.SEE_REGISTRY)
@require_GET
def affected_search(request: AuthedRequest, pk: int) -> HttpResponse:
    """HTMX: children of the declaring unit (in the user's scope) whose name or ID starts with the typed words."""
    return child_search_results(request, ds.disaster_get(request.user, pk).unit_path)


@require_capability(rules.SEE_REGISTRY)
@require_POST
def affected_add(request: AuthedRequest, pk: int) -> HttpResponse:
    event = ds.disaster_get(request.user, pk)
    form = AffectedAddForm(request.POST)
    form.fields["needs"].queryset = ds.need_kinds()  # type: ignore[attr-defined]
    if not form.is_valid():
        messages.error(request, _("Choose a child and say why the child is added."))
        return redirect("support:disaster", event.pk)
    child = children_for_user(request.user).filter(pk=form.cleaned_data["child"]).first()
    if child is None:
        raise Http404
    try:
        disaster_services.affected_add(
            actor=request.user, disaster=event, child=child, reason=form.cleaned_data["reason"],
            needs=list(form.cleaned_data["needs"]),
        )  # fmt: skip
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s was added as affected.") % {"name": child.full_name})
    return redirect("support:disaster", event.pk)


@require_capability(rules.SEE_REGISTRY)
@require_POST
def relief_round(request: AuthedRequest, pk: int) -> HttpResponse:
    """Open a relief round of a programme for the event: its list is the event's confirmed affected children."""
    event = ds.disaster_get(request.user, pk)
    context = _context(request, event)
    form = context["round_form"]
    if form is None:
        raise PermissionDenied
    form = ReliefRoundForm(request.POST)
    form.fields["programme"].queryset = context["round_form"].fields["programme"].queryset  # type: ignore[attr-defined]
    form.fields["unit"].choices = context["round_form"].fields["unit"].choices  # type: ignore[attr-defined]
    if form.is_valid():
        d = form.cleaned_data
        unit = visible_unit(request.user, d["unit"])
        if unit is None:
            raise Http404
        try:
            round_ = services.round_create(
                actor=request.user, programme=d["programme"], unit=unit, on=d["on"], item=d["item"], value=d["value"],
                name=f"{d['programme'].name_vi} – {event.name}", disaster=event,
            )  # fmt: skip
        except ValidationError as exc:
            form_errors_to(form, exc)
        else:
            return redirect("support:round", round_.pk)
    context["round_form"] = form
    return render(request, "support/disaster.html", context, status=400)
