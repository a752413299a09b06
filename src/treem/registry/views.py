"""Registry pages: thin views over the registry selectors and services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from treem.accounts import permissions as rules
from treem.accounts.scope import get_for_user_or_404, get_or_404, scope_queryset, scope_root, visible_unit
from treem.accounts.web import AuthedRequest, form_errors_to, require_capability
from treem.core.dates import today_vn
from treem.core.ethnicity import OFFICIAL_NAMES
from treem.core.paging import CappedPaginator, KeysetPage
from treem.units.models import Level, Structure, Unit

from . import confidential, duplicates, selectors, services
from .forms import (
    ChildForm,
    CircumstanceEndForm,
    CircumstanceForm,
    HouseholdForm,
    IncidentForm,
    MoveForm,
    NewChildForm,
    PovertyForm,
    StatusForm,
)
from .models import (
    Child,
    ChildStatus,
    CircumstanceKind,
    CircumstanceType,
    Disability,
    Household,
    Incident,
    SchoolStatus,
    Sex,
)
from .panels import child_panels

PAGE_SIZE = 50


def _apply(request: AuthedRequest, form: Any, action: Callable[[dict[str, Any]], Any], success: str) -> bool:
    """On a valid POST run the service; its ValidationError lands on the form. True when the work is done."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        action(form.cleaned_data)
    except ValidationError as exc:
        form_errors_to(form, exc)
        return False
    messages.success(request, success)
    return True


def _editable_child(request: AuthedRequest, pk: int) -> Child:
    """A child in the user's scope (404 otherwise) whose record the user may edit (403 otherwise)."""
    child = get_for_user_or_404(request.user, Child.objects.select_related("household", "commune", "village"), pk=pk)
    services.check_can_edit(request.user, child.village or child.commune)
    return child


def _filter_from(request: AuthedRequest) -> selectors.ChildFilter:
    """The list's filters from the query string; the unit is any the user may see (the selector scopes it)."""
    g = request.GET
    unit_id = g.get("unit", "")
    return selectors.ChildFilter(
        q=g.get("q", "").strip()[:100], unit_id=int(unit_id) if unit_id.isdigit() else None,
        age_band=g.get("age", ""), sex=g.get("sex", ""), ethnicity=g.get("ethnicity", ""), group=g.get("group", ""),
        risk=g.get("risk", ""), school_status=g.get("school", ""), status=g.get("status", ChildStatus.ACTIVE),
        no_id=g.get("no_id") == "1", ageing_out=g.get("ageing_out") == "1",
        id_unverified=g.get("id_unverified") == "1",
    )  # fmt: skip


def _filter_context(request: AuthedRequest, chosen: Unit | None) -> dict[str, Any]:
    """The filter form. The unit filter is the shared unit picker (searched on demand, `unit` as before): a province
    has some 500 communes and villages, too many to send as `<option>`s with every page."""
    types = CircumstanceType.objects.filter(is_active=True)
    if not confidential.may_see_any(request.user):  # case-derived groups are not even offered as a filter
        types = types.filter(confidential=False)
    return {
        "filter_unit": chosen,
        "age_bands": selectors.AGE_BANDS,
        "sexes": Sex.choices,
        "ethnicities": OFFICIAL_NAMES,
        "groups": types.filter(kind=CircumstanceKind.SPECIAL),
        "risks": types.filter(kind=CircumstanceKind.RISK),
        "school_statuses": [c for c in SchoolStatus.choices if c[0]],
        "statuses": ChildStatus.choices,
        "params": request.GET,
        "can_export": rules.EXPORT_REGISTRY.allows(request.user),
        "can_edit": rules.EDIT_REGISTRY.allows(request.user),
    }


@require_capability(rules.SEE_REGISTRY)
@require_GET
def child_list(request: AuthedRequest) -> HttpResponse:
    f = _filter_from(request)
    qs = selectors.child_list(request.user, f)
    paginator = CappedPaginator(qs, PAGE_SIZE)
    number, after, before = (request.GET.get(k, "") for k in ("page", "after", "before"))
    shown = int(number) if number.isdigit() and int(number) > 0 else 1
    page: Page[Child] | KeysetPage | None = None
    # Deep pages by keyset, not OFFSET: `after=` the last row of the page before, `before=` the first of the next.
    if after.isdigit() and (rest := selectors.child_list_after(request.user, qs, int(after))) is not None:
        rows = list(rest[: PAGE_SIZE + 1])
        page = KeysetPage.after(rows, paginator=paginator, number=max(shown, 2), per_page=PAGE_SIZE)
    elif before.isdigit() and (rest := selectors.child_list_before(request.user, qs, int(before))) is not None:
        rows = list(rest[: PAGE_SIZE + 1])
        page = KeysetPage.before(rows, paginator=paginator, number=shown, per_page=PAGE_SIZE)
    if page is None:  # the first page, an old `page=` link, a stale cursor
        page = paginator.get_page(number)
    page.object_list = selectors.with_match_reasons(page.object_list, f.q)
    chosen = visible_unit(request.user, f.unit_id) if f.unit_id is not None else None  # out of scope: None
    book_village = chosen if chosen is not None and chosen.level == Level.VILLAGE else None  # its book is linked
    context = {
        "page": page, "book_village": book_village,
        "pages": max(paginator.num_pages, page.number), **_pager_queries(request, page),
        **_filter_context(request, chosen),
    }  # fmt: skip
    template = "registry/child_list.html#results" if request.htmx else "registry/child_list.html"
    return render(request, template, context)


def _pager_queries(request: AuthedRequest, page: Page[Child] | KeysetPage) -> dict[str, str]:
    """The query strings of the pager: "next" by keyset after the page's last row, "previous" by number."""
    queries = {}
    if page.has_next() and page.object_list:
        params = request.GET.copy()
        params.pop("before", None)
        params["after"], params["page"] = str(page.object_list[-1].pk), str(page.next_page_number())
        queries["next_query"] = params.urlencode()
    if page.has_previous():
        params = request.GET.copy()
        params.pop("after", None)
        params.pop("before", None)
        params["page"] = str(page.previous_page_number())
        if page.previous_page_number() > 1 and page.object_list:  # page 1 is the plain first page
            params["before"] = str(page.object_list[0].pk)
        queries["previous_query"] = params.urlencode()
    return queries


@require_capability(rules.SEE_REGISTRY)
def child_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    try:
        child = selectors.child_detail(request.user, pk, request=request)
    except Http404:
        kept = selectors.merged_into(request.user, pk)
        if kept is None:
            raise
        messages.info(request, _("Record #%(pk)s was merged into this record.") % {"pk": pk})
        return redirect("registry:child_detail", pk=kept)
    context = {
        "child": child,
        "timeline": selectors.child_timeline(child, user=request.user),
        "can_edit": services.can_edit(request.user, child.village or child.commune),
        "today": today_vn(),
        "panels": child_panels(request, child),  # what other apps show here (cases: the child's cases, audited)
    }
    return render(request, "registry/child_detail.html", context)


@require_capability(rules.EDIT_REGISTRY)
def child_create(request: AuthedRequest, household_pk: int) -> HttpResponse:
    household = get_for_user_or_404(
        request.user, Household.objects.select_related("commune", "village"), pk=household_pk
    )
    services.check_can_edit(request.user, household.village or household.commune)
    form = NewChildForm(request.POST or None, initial={"ethnicity": _household_ethnicity(household)})
    likely: list[duplicates.LikelyDuplicate] = []
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
        proposal = _proposal(d, household, guardian_names=tuple(g.full_name for g in guardians))
        likely, different = _check_duplicates(request, proposal)
        if different is not None:
            try:
                child = services.child_register(
                    actor=request.user, household=household, data=data, guardians=guardians,
                    not_duplicate_of=different,
                )  # fmt: skip
            except ValidationError as exc:
                form_errors_to(form, exc)
            else:
                messages.success(request, _("%(name)s was added to the household.") % {"name": child.full_name})
                return redirect("registry:household_detail", pk=household.pk)
    context = {"form": form, "household": household, "child": None, "likely": likely}
    return render(request, "registry/child_form.html", context)


# Fields whose change makes an edited record possibly someone else's: the duplicate check runs again.
IDENTIFYING = frozenset({"full_name", "date_of_birth", "sex", "personal_id"})


def _proposal(
    d: dict[str, Any], household: Household, *, guardian_names: tuple[str, ...] = (), child: Child | None = None
) -> duplicates.ChildProposal:
    return duplicates.ChildProposal(
        full_name=d["full_name"], sex=d["sex"], date_of_birth=d["date_of_birth"], household=household,
        ethnicity=d["ethnicity"], personal_id=d["personal_id"], guardian_names=guardian_names,
        child_pk=child.pk if child is not None else None,
    )  # fmt: skip


def _check_duplicates(
    request: AuthedRequest, proposal: duplicates.ChildProposal
) -> tuple[list[duplicates.LikelyDuplicate], list[Child] | None]:
    """(likely duplicates to show, the children to remember as different when saving; None: do not save yet).

    Saving goes ahead when nothing is likely, or when the person answered "this is a different child" having
    been shown every record found now; the same personal ID is one child, never "different"."""
    likely = duplicates.find_duplicates(request.user, proposal)
    if not likely:
        return [], []
    shown = {int(x) for x in request.POST.getlist("different_from") if x.isdigit()}
    answered = request.POST.get("different") == "1" and all(d.child.pk in shown for d in likely)
    if answered and not any(d.same_id for d in likely):
        return likely, [d.child for d in likely]
    return likely, None


def _household_ethnicity(household: Household) -> str:
    return household.children.exclude(ethnicity="").values_list("ethnicity", flat=True).first() or ""


@require_capability(rules.EDIT_REGISTRY)
def child_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    child = _editable_child(request, pk)
    form = ChildForm(request.POST or None, instance=child)
    likely: list[duplicates.LikelyDuplicate] = []
    if request.method == "POST" and form.is_valid():
        different: list[Child] | None = []
        if IDENTIFYING & set(form.changed_data):
            names = tuple(child.guardianships.values_list("person__full_name", flat=True))
            proposal = _proposal(form.cleaned_data, child.household, guardian_names=names, child=child)
            likely, different = _check_duplicates(request, proposal)
        if different is not None:
            changed = {name: form.cleaned_data[name] for name in form.changed_data}
            try:
                services.child_update(
                    actor=request.user, child=Child.objects.get(pk=child.pk), not_duplicate_of=different, **changed
                )
            except ValidationError as exc:
                form_errors_to(form, exc)
            else:
                messages.success(request, _("The changes were saved."))
                return redirect("registry:child_detail", pk=child.pk)
    context = {"form": form, "household": child.household, "child": child, "likely": likely}
    return render(request, "registry/child_form.html", context)


@require_capability(rules.EDIT_REGISTRY)
def child_status(request: AuthedRequest, pk: int) -> HttpResponse:
    child = _editable_child(request, pk)
    form = StatusForm(request.POST or None)
    done = _apply(
        request, form, lambda d: services.child_set_status(actor=request.user, child=child, **d),
        _("The child's status was updated."),
    )  # fmt: skip
    if done:
        return redirect("registry:child_detail", pk=child.pk)
    return render(request, "registry/simple_form.html", {"form": form, "child": child, "title": _("Change status")})


@require_capability(rules.EDIT_REGISTRY)
def incident_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record an injury or accident of a child (the officer, or the collaborator of the child's village)."""
    child = _editable_child(request, pk)
    form = IncidentForm(request.POST or None)
    done = _apply(
        request, form, lambda d: services.incident_record(actor=request.user, child=child, **d),
        _("The injury or accident was recorded."),
    )  # fmt: skip
    if done:
        return redirect("registry:child_detail", pk=child.pk)
    title = _("Injury or accident")
    return render(request, "registry/simple_form.html", {"form": form, "child": child, "title": title})


@require_capability(rules.EDIT_REGISTRY)
def incident_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Correct an incident (its history keeps every version)."""
    qs = Incident.objects.select_related("child__commune", "child__village", "kind")
    incident = get_for_user_or_404(request.user, qs, path_field="child__unit_path", pk=pk)
    child = incident.child
    services.check_can_edit(request.user, child.village or child.commune)
    initial = {name: getattr(incident, name) for name in services.incidents.EDITABLE}
    form = IncidentForm(request.POST or None, initial=initial)

    def save(d: dict[str, Any]) -> None:
        changed = {name: d[name] for name in form.changed_data}
        services.incident_update(actor=request.user, incident=incident, **changed)

    if _apply(request, form, save, _("The changes were saved.")):
        return redirect("registry:child_detail", pk=child.pk)
    title = _("Injury or accident")
    return render(request, "registry/simple_form.html", {"form": form, "child": child, "title": title})


@require_capability(rules.EDIT_REGISTRY)
def circumstance_add(request: AuthedRequest, pk: int) -> HttpResponse:
    child = _editable_child(request, pk)
    form = CircumstanceForm(request.POST or None, child=child, subtypes_url=reverse("registry:circumstance_subtypes"))

    def save(d: dict[str, Any]) -> None:
        fields = ("type", "subtype", "valid_from", "valid_to", "source", "note")
        services.circumstance_add(actor=request.user, child=child, profile_disability=form.profile_update,
                                  **{name: d[name] for name in fields})  # fmt: skip
        if form.profile_update:
            degree = Disability(form.profile_update).label
            messages.info(request, _("The child's profile was updated: disability %(degree)s.") % {"degree": degree})

    if _apply(request, form, save, _("The group was recorded.")):
        return redirect("registry:child_detail", pk=child.pk)
    return render(request, "registry/circumstance_form.html", {"form": form, "child": child})


@require_capability(rules.EDIT_REGISTRY)
@require_GET
def circumstance_subtypes(request: AuthedRequest) -> HttpResponse:
    """The options of the sub-type select for the chosen group (HTMX, when the group changes)."""
    form = CircumstanceForm(initial={"type": request.GET.get("type", "")}, child=Child())
    return render(request, "registry/circumstance_form.html#subtype_options", {"form": form})


@require_capability(rules.EDIT_REGISTRY)
def circumstance_end(request: AuthedRequest, pk: int) -> HttpResponse:
    shown = selectors.visible_circumstances(request.user).select_related("child__commune", "child__village", "type")
    circumstance = get_or_404(shown, pk=pk)  # visible_circumstances is scoped already
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


def _commune_for(request: AuthedRequest) -> Unit:
    """The commune a new household goes in: the user's own, or the one chosen below the user's unit."""
    root = scope_root(request.user)
    unit_id = request.GET.get("unit") or request.POST.get("commune_id") or ""
    if unit_id.isdigit():
        unit = get_for_user_or_404(request.user, Unit.objects.all(), pk=int(unit_id))
    elif root is not None:
        unit = root
    else:
        raise PermissionDenied
    if unit.level == Level.VILLAGE and unit.parent is not None:
        unit = unit.parent
    if unit.level != Level.COMMUNE:
        raise PermissionDenied(_("Choose a commune first."))
    return unit


@require_capability(rules.EDIT_REGISTRY)
def household_create(request: AuthedRequest) -> HttpResponse:
    commune = _commune_for(request)
    root = scope_root(request.user)
    initial = {"village": root} if root is not None and root.level == Level.VILLAGE else {}
    form = HouseholdForm(request.POST or None, commune=commune, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            household = services.household_create(actor=request.user, commune=commune, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_to(form, exc)
        else:
            messages.success(request, _("The household was created. Now add its children."))
            return redirect("registry:household_detail", pk=household.pk)
    return render(request, "registry/household_form.html", {"form": form, "commune": commune, "household": None})


@require_capability(rules.SEE_REGISTRY)
def household_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    household = selectors.household_book(request.user, pk, request=request)
    incidents = [i for child in household.children.all() for i in child.incidents.all()]
    context = {
        "household": household,
        "incidents": sorted(incidents, key=lambda i: (i.occurred_on, i.pk), reverse=True),
        "can_edit": services.can_edit(request.user, household.village or household.commune),
        "today": today_vn(),
        "last_visit": household.visits.order_by("-visited_on", "-pk").first(),
    }
    return render(request, "registry/household_detail.html", context)


@require_capability(rules.EDIT_REGISTRY)
@require_POST
def household_visited(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record a visit today: one tap on the household page (a collaborator's phone); 404 out of scope."""
    household = get_for_user_or_404(request.user, Household.objects.select_related("commune", "village"), pk=pk)
    services.household_visit_record(actor=request.user, household=household)
    messages.success(request, _("Visit recorded: %(day)s.") % {"day": f"{today_vn():%d/%m/%Y}"})
    return redirect("registry:household_detail", pk=household.pk)


@require_capability(rules.EDIT_REGISTRY)
def household_edit(request: AuthedRequest, pk: int) -> HttpResponse:
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
        form_errors_to(form, exc)
        return
    for field, errors in exc.message_dict.items():
        target, name = (poverty, field.removeprefix(prefix)) if field.startswith(prefix) else (form, field)
        target.add_error(name if name in target.fields else None, errors)


@require_capability(rules.EDIT_REGISTRY)
def household_move(request: AuthedRequest, pk: int) -> HttpResponse:
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
