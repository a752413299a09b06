"""Registry pages: thin views over the registry selectors and services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from treem.accounts import capabilities as cap
from treem.accounts.scope import get_for_user_or_404, scope_queryset, scope_root
from treem.core.ethnicity import OFFICIAL_NAMES
from treem.core.paging import CappedPaginator
from treem.units.models import Level, Structure, Unit

from . import confidential, selectors, services
from .forms import (
    ChildForm,
    CircumstanceEndForm,
    CircumstanceForm,
    HouseholdForm,
    MoveForm,
    NewChildForm,
    PovertyForm,
    StatusForm,
)
from .models import Child, ChildStatus, CircumstanceKind, CircumstanceType, Household, SchoolStatus, Sex

PAGE_SIZE = 50


def _require(request: HttpRequest, capability: str) -> None:
    if not request.user.has_capability(capability):
        raise PermissionDenied


def _form_errors_to(form: Any, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _apply(request: HttpRequest, form: Any, action: Callable[[dict[str, Any]], Any], success: str) -> bool:
    """On a valid POST run the service; its ValidationError lands on the form. True when the work is done."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        action(form.cleaned_data)
    except ValidationError as exc:
        _form_errors_to(form, exc)
        return False
    messages.success(request, success)
    return True


def _editable_child(request: HttpRequest, pk: int) -> Child:
    """A child in the user's scope (404 otherwise) whose record the user may edit (403 otherwise)."""
    child = get_for_user_or_404(request.user, Child.objects.select_related("household", "commune", "village"), pk=pk)
    services.check_can_edit(request.user, child.village or child.commune)
    return child


def _filter_from(request: HttpRequest) -> selectors.ChildFilter:
    g = request.GET
    unit_path, commune_id = "", None
    if (unit_id := g.get("unit", "")).isdigit():
        unit = scope_queryset(request.user, Unit.objects.all()).filter(pk=int(unit_id)).first()
        unit_path = unit.path if unit else "-"  # "-" matches nothing: an out-of-scope unit shows no one
        commune_id = unit.pk if unit is not None and unit.level == Level.COMMUNE else None
    return selectors.ChildFilter(
        q=g.get("q", "").strip()[:100], unit_path=unit_path, age_band=g.get("age", ""), sex=g.get("sex", ""),
        ethnicity=g.get("ethnicity", ""), group=g.get("group", ""), risk=g.get("risk", ""),
        school_status=g.get("school", ""), status=g.get("status", ChildStatus.ACTIVE), commune_id=commune_id,
    )  # fmt: skip


def _filter_context(request: HttpRequest) -> dict[str, Any]:
    root = scope_root(request.user)
    units = Unit.objects.none()
    if root is not None:
        units = Unit.objects.filter(path__path_prefix=root.path, level__in=[Level.COMMUNE, Level.VILLAGE]).order_by(
            "path"
        )
    types = CircumstanceType.objects.filter(is_active=True)
    if not confidential.may_see_any(request.user):  # case-derived groups are not even offered as a filter
        types = types.filter(confidential=False)
    return {
        "filter_units": units[:500],
        "age_bands": selectors.AGE_BANDS,
        "sexes": Sex.choices,
        "ethnicities": OFFICIAL_NAMES,
        "groups": types.filter(kind=CircumstanceKind.SPECIAL),
        "risks": types.filter(kind=CircumstanceKind.RISK),
        "school_statuses": [c for c in SchoolStatus.choices if c[0]],
        "statuses": ChildStatus.choices,
        "params": request.GET,
        "can_export": request.user.has_capability(cap.REGISTRY_EXPORT),
        "can_edit": request.user.has_capability(cap.REGISTRY_EDIT),
    }


@login_required
@require_GET
def child_list(request: HttpRequest) -> HttpResponse:
    _require(request, cap.REGISTRY_VIEW)
    qs = selectors.child_list(request.user, _filter_from(request))
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "querystring": request.GET.copy(), **_filter_context(request)}
    template = "registry/child_list.html#results" if request.htmx else "registry/child_list.html"
    return render(request, template, context)


@login_required
def child_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, cap.REGISTRY_VIEW)
    child = selectors.child_detail(request.user, pk, request=request)
    today = dt.date.today()  # noqa: DTZ011
    context = {
        "child": child,
        "timeline": selectors.child_timeline(child, user=request.user),
        "can_edit": services.can_edit(request.user, child.village or child.commune),
        "today": today,
        "child_cases": _visible_cases(request, child),
    }
    return render(request, "registry/child_detail.html", context)


def _visible_cases(request: HttpRequest, child: Child) -> list[Any]:
    """The child's cases this user may see (none reveals that others exist); showing them is audited."""
    from treem.audit.models import Action
    from treem.audit.services import audit_record
    from treem.cases.selectors import visible_case_ids_for_children

    cases = visible_case_ids_for_children(request.user, [child.pk]).get(child.pk, [])
    if cases:
        audit_record(
            actor=request.user, action=Action.LIST, target_type="case",
            target_id=",".join(str(c.pk) for c in cases)[:40], unit_path=cases[0].unit_path,
            summary="Vụ việc trên trang trẻ em: " + ", ".join(c.code for c in cases), request=request,
            extra={"ids": [c.pk for c in cases], "child": child.pk},
        )  # fmt: skip
    return cases


@login_required
def child_create(request: HttpRequest, household_pk: int) -> HttpResponse:
    household = get_for_user_or_404(
        request.user, Household.objects.select_related("commune", "village"), pk=household_pk
    )
    services.check_can_edit(request.user, household.village or household.commune)
    form = NewChildForm(request.POST or None, initial={"ethnicity": _household_ethnicity(household)})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = services.ChildInput(
            full_name=d["full_name"], sex=d["sex"], date_of_birth=d["date_of_birth"], dob_precision=d["dob_precision"],
            ethnicity=d["ethnicity"], personal_id=d["personal_id"],
            extra={k: d[k] for k in ("birth_registered", "birth_registration_date", "health_insurance_number",
                                     "school_status", "disability", "nutrition", "note")},
        )  # fmt: skip
        guardians = [
            services.GuardianInput(full_name=d[name], relation=relation)
            for name, relation in (("father_name", "father"), ("mother_name", "mother"))
            if d[name]
        ]
        if d["caregiver_name"]:
            guardians.append(
                services.GuardianInput(d["caregiver_name"], d["caregiver_relation"], is_primary_caregiver=True)
            )
        try:
            child = services.child_register(actor=request.user, household=household, data=data, guardians=guardians)
        except ValidationError as exc:
            _form_errors_to(form, exc)
        else:
            messages.success(request, _("%(name)s was added to the household.") % {"name": child.full_name})
            return redirect("registry:household_detail", pk=household.pk)
    return render(request, "registry/child_form.html", {"form": form, "household": household, "child": None})


def _household_ethnicity(household: Household) -> str:
    return household.children.exclude(ethnicity="").values_list("ethnicity", flat=True).first() or ""


@login_required
def child_edit(request: HttpRequest, pk: int) -> HttpResponse:
    child = _editable_child(request, pk)
    form = ChildForm(request.POST or None, instance=child)

    def save(data: dict[str, Any]) -> None:
        changed = {name: data[name] for name in form.changed_data}
        services.child_update(actor=request.user, child=Child.objects.get(pk=child.pk), **changed)

    if _apply(request, form, save, _("The changes were saved.")):
        return redirect("registry:child_detail", pk=child.pk)
    return render(request, "registry/child_form.html", {"form": form, "household": child.household, "child": child})


@login_required
def child_status(request: HttpRequest, pk: int) -> HttpResponse:
    child = _editable_child(request, pk)
    form = StatusForm(request.POST or None)
    done = _apply(
        request, form, lambda d: services.child_set_status(actor=request.user, child=child, **d),
        _("The child's status was updated."),
    )  # fmt: skip
    if done:
        return redirect("registry:child_detail", pk=child.pk)
    return render(request, "registry/simple_form.html", {"form": form, "child": child, "title": _("Change status")})


@login_required
def circumstance_add(request: HttpRequest, pk: int) -> HttpResponse:
    child = _editable_child(request, pk)
    form = CircumstanceForm(request.POST or None)
    done = _apply(
        request, form, lambda d: services.circumstance_add(actor=request.user, child=child, **d),
        _("The group was recorded."),
    )  # fmt: skip
    if done:
        return redirect("registry:child_detail", pk=child.pk)
    title = _("Special circumstance or risk")
    return render(request, "registry/simple_form.html", {"form": form, "child": child, "title": title})


@login_required
def circumstance_end(request: HttpRequest, pk: int) -> HttpResponse:
    shown = selectors.visible_circumstances(request.user).select_related("child__commune", "child__village", "type")
    circumstance = get_for_user_or_404(request.user, shown, path_field="child__unit_path", pk=pk)
    child = circumstance.child
    services.check_can_edit(request.user, child.village or child.commune)
    form = CircumstanceEndForm(request.POST or None)
    done = _apply(
        request, form, lambda d: services.circumstance_end(actor=request.user, circumstance=circumstance, **d),
        _("The end date was recorded."),
    )  # fmt: skip
    if done:
        return redirect("registry:child_detail", pk=child.pk)
    title = _("End: %(group)s") % {"group": circumstance.type}
    return render(request, "registry/simple_form.html", {"form": form, "child": child, "title": title})


# --- households ---------------------------------------------------------------------------------------------


def _commune_for(request: HttpRequest) -> Unit:
    """The commune a new household goes in: the user's own, or the one chosen below the user's unit."""
    root = scope_root(request.user)
    unit_id = request.GET.get("unit") or request.POST.get("commune_id") or ""
    if unit_id.isdigit():
        unit = get_for_user_or_404(request.user, Unit.objects.all(), pk=int(unit_id))
    elif root is not None:
        unit = root
    else:
        raise PermissionDenied
    if unit.level == Level.VILLAGE:
        unit = unit.parent
    if unit.level != Level.COMMUNE:
        raise PermissionDenied(_("Choose a commune first."))
    return unit


@login_required
def household_create(request: HttpRequest) -> HttpResponse:
    _require(request, cap.REGISTRY_EDIT)
    commune = _commune_for(request)
    root = scope_root(request.user)
    initial = {"village": root} if root is not None and root.level == Level.VILLAGE else {}
    form = HouseholdForm(request.POST or None, commune=commune, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            household = services.household_create(actor=request.user, commune=commune, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors_to(form, exc)
        else:
            messages.success(request, _("The household was created. Now add its children."))
            return redirect("registry:household_detail", pk=household.pk)
    return render(request, "registry/household_form.html", {"form": form, "commune": commune, "household": None})


@login_required
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, cap.REGISTRY_VIEW)
    household = selectors.household_book(request.user, pk, request=request)
    context = {
        "household": household,
        "can_edit": services.can_edit(request.user, household.village or household.commune),
        "today": dt.date.today(),  # noqa: DTZ011
    }
    return render(request, "registry/household_detail.html", context)


@login_required
def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_for_user_or_404(request.user, Household.objects.select_related("commune", "village"), pk=pk)
    services.check_can_edit(request.user, household.village or household.commune)
    form = HouseholdForm(request.POST or None, instance=household, commune=household.commune)
    poverty = PovertyForm(request.POST or None, prefix="poverty")
    if request.method == "POST" and form.is_valid() and poverty.is_valid():
        change = poverty.change
        try:
            services.household_edit(
                actor=request.user, household=household, village=form.cleaned_data["village"],
                values={name: form.cleaned_data[name] for name in form.changed_data if name != "village"},
                poverty=services.PovertyChange(**change) if change else None,
            )  # fmt: skip
        except ValidationError as exc:
            _household_errors_to(form, poverty, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("registry:household_detail", pk=household.pk)
    return render(
        request, "registry/household_form.html",
        {"form": form, "poverty_form": poverty, "commune": household.commune, "household": household},
    )  # fmt: skip


def _household_errors_to(form: Any, poverty: Any, exc: ValidationError) -> None:
    """The errors of `services.household_edit`: the poverty ones on the poverty form, the rest on the household's."""
    prefix = services.households.POVERTY_PREFIX
    if not hasattr(exc, "error_dict"):
        _form_errors_to(form, exc)
        return
    for field, errors in exc.message_dict.items():
        target, name = (poverty, field.removeprefix(prefix)) if field.startswith(prefix) else (form, field)
        target.add_error(name if name in target.fields else None, errors)


@login_required
def household_move(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_for_user_or_404(request.user, Household.objects.select_related("commune", "village"), pk=pk)
    services.check_can_edit(request.user, household.village or household.commune)
    in_scope = scope_queryset(request.user, Unit.objects.filter(structure=Structure.CURRENT, is_active=True))
    communes = in_scope.filter(level=Level.COMMUNE).order_by("name")
    villages = in_scope.filter(level=Level.VILLAGE).select_related("parent").order_by("path")
    form = MoveForm(request.POST or None, communes=communes, villages=villages, initial={"commune": household.commune})
    done = _apply(
        request, form, lambda d: services.household_move(actor=request.user, household=household, **d),
        _("The household was moved; its history keeps the former place."),
    )  # fmt: skip
    if done:
        return redirect("registry:household_detail", pk=household.pk)
    title = _("Move household of %(name)s") % {"name": household.head_name}
    return render(request, "registry/simple_form.html", {"form": form, "household": household, "title": title})
