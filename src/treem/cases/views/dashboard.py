"""The worker's dashboard (cases by urgency, notifications, rapid alerts) and the intake form (Mẫu 01)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from treem.accounts import capabilities as cap
from treem.accounts import permissions as rules
from treem.accounts.scope import communes_to_choose, scope_queryset, scope_root
from treem.accounts.web import AuthedRequest, form_errors_to, require_capability
from treem.cases import selectors, services
from treem.cases.forms import IntakeForm
from treem.cases.models import Notification, RapidAlert, Status
from treem.cases.outcomes import unresolved_days
from treem.core.text import fold
from treem.registry.selectors import children_for_user, search_filter, with_match_reasons

from .common import span

CHILD_SEARCH_LIMIT = 15


@require_capability(rules.SEE_CASES)
@require_GET
def dashboard(request: AuthedRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in Status.values else ""
    clock = request.GET.get("clock", "")
    clock = clock if clock in selectors.CLOCK_FILTERS else ""
    unresolved = request.GET.get("unresolved") == "1"
    ref = request.GET.get("ref", "").strip()[:40]
    cases = selectors.case_list(
        request.user, status=status, clock=clock, unresolved=unresolved, helpline_ref=ref, request=request
    )
    notifications = Notification.objects.filter(recipient=request.user, read_at__isnull=True).select_related("case")
    alerts: QuerySet[RapidAlert] | list[RapidAlert] = []
    if request.user.has_capability(cap.CASES_SUPERVISE):
        alerts = scope_queryset(request.user, RapidAlert.objects.order_by("-created_at"))[:20]
    now = timezone.now()
    for c in cases:
        d = c.next_deadline  # type: ignore[attr-defined]
        c.overdue = bool(d and d.due_at < now)  # type: ignore[attr-defined]
        c.due_soon = bool(d and not c.overdue and d.warn_at and d.warn_at <= now)  # type: ignore[attr-defined]
        c.left = span((d.due_at - now).total_seconds()) if d else ""  # type: ignore[attr-defined]
    context = {
        "cases": cases, "now": now, "notifications": notifications[:20], "alerts": alerts,
        "status": status, "statuses": Status.choices, "clock": clock, "clocks": selectors.CLOCK_FILTERS.items(),
        "can_intake": rules.RECORD_CASES.allows(request.user), "unresolved": unresolved, "ref": ref,
        "unresolved_days": unresolved_days(),
    }  # fmt: skip
    return render(request, "cases/dashboard.html", context)


# --- intake (Mẫu 01) -------------------------------------------------------------------------------------------


@require_capability(rules.RECORD_CASES)
def intake(request: AuthedRequest) -> HttpResponse:
    communes = communes_to_choose(request.user)  # None: the user's own commune
    children = children_for_user(request.user).select_related("commune", "village")
    form = IntakeForm(request.POST or None, children=children, communes=communes)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        commune = d.get("commune") or scope_root(request.user)
        assert commune is not None  # noqa: S101 - the form asks for a commune unless the user works for one
        try:
            case = services.case_open(
                actor=request.user, commune=commune, intake_at=d["at"],
                channel=d["channel"], category=d["category"], description=d["description"], child=d["child"],
                child_name=d["child_name"], child_sex=d["child_sex"], child_age_estimate=d["child_age_estimate"],
                abuse_forms=d["abuse_forms"], setting=d["setting"], abuser_relation=d["abuser_relation"],
                in_danger=d["in_danger"], serious=d["serious"], informant_consents=d["informant_consents"],
                informant_name=d["informant_name"], informant_contact=d["informant_contact"], family=form.family(),
                helpline_ref=d["helpline_ref"], request=request,
            )  # fmt: skip
        except ValidationError as exc:
            form_errors_to(form, exc)
        else:
            messages.success(request, _("Case %(code)s was recorded.") % {"code": case.code})
            return redirect("cases:detail", pk=case.pk)
    chosen = form["child"].value() if form.is_bound else None
    chosen_child = children.filter(pk=chosen).first() if chosen and str(chosen).isdigit() else None
    context = {"form": form, "chosen_child": chosen_child, "results": [chosen_child] if chosen_child else []}
    return render(request, "cases/intake.html", context)


@require_capability(rules.RECORD_CASES)
@require_GET
def child_search(request: AuthedRequest) -> HttpResponse:
    """HTMX: the registry children in the user's scope whose name, guardian or ID starts with the typed words."""
    query = request.GET.get("child_q", "").strip()[:100]
    results = []
    if len(fold(query)) >= 2:
        qs = search_filter(children_for_user(request.user), query).select_related("commune", "village")
        results = with_match_reasons(qs.order_by("name_key", "date_of_birth", "pk")[:CHILD_SEARCH_LIMIT], query)
    return render(request, "cases/intake.html#child_results", {"results": results, "query": query})
