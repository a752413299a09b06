"""The case file: its clocks and timeline, the steps with their forms, events, assignment, and Mẫu 01–07."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from treem.accounts import capabilities as cap
from treem.accounts.models import User
from treem.accounts.web import AuthedRequest, form_errors_to, require_login
from treem.audit.models import Action
from treem.cases import documents, outcomes, services
from treem.cases.access import case_rights, on_case_team
from treem.cases.forms import (
    ASSESSMENT_ITEMS,
    INITIAL_FACTORS,
    LEVELS,
    REPLAN_TITLE,
    REVIEW_FACTORS,
    STEP_FORMS,
    STEP_TITLES,
    AssignForm,
    CloseWithReviewForm,
    EventForm,
    PlanForm,
    RefuseClosureForm,
)
from treem.cases.forms.referrals import AcknowledgementReceivedForm
from treem.cases.models import (
    STATUS_FLOW,
    AbuseForm,
    Case,
    CaseEvent,
    Category,
    Disclosure,
    Distribution,
    EventKind,
    Status,
)
from treem.directory.selectors import openable_providers
from treem.units.models import PATH_SEP

from .common import case_for_write, event_kinds_for, may_take, read_case, shows_informant, span
from .proposals import proposals_context


def _step_title(case: Case, to: str) -> str:
    if to == Status.PLAN_DRAFTED and case.status in (Status.PLAN_DRAFTED, Status.REVIEW):
        return str(REPLAN_TITLE)
    return str(STEP_TITLES[Status(to)])


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _timeline(events: list[CaseEvent]) -> list[dict[str, Any]]:
    """The events, each with its content as labelled lines (plans as rows), in the order they happened."""
    worker_ids = [e.data.get("worker") for e in events if e.kind == EventKind.ASSIGNMENT]
    names: dict[Any, str] = {u.pk: u.get_full_name() or u.username for u in User.objects.filter(pk__in=worker_ids)}
    levels = dict(LEVELS)
    out = []
    for e in events:
        d = e.data or {}
        lines: list[tuple[str, str]] = []
        for key, labels in (("risk", INITIAL_FACTORS), ("review", REVIEW_FACTORS)):
            if "review_event" in d:
                break  # the closure carries a copy of the review shown above
            rated = _dict(d.get(key))
            lines += [(str(label), str(levels.get(rated[k], rated[k]))) for k, label in labels if k in rated]
        items = _dict(d.get("assessment"))
        lines += [(str(label), str(items[k])) for k, label in ASSESSMENT_ITEMS if items.get(k)]
        for key, label in (
            ("chair", _("Chaired by")), ("participants", _("Participants")), ("decisions", _("Decisions")),
            ("goal", _("Goal")), ("decided_by", _("Decided by")), ("decision_no", _("Decision number")),
            ("where", _("Place, service provider or carer")),
        ):  # fmt: skip
            if d.get(key):
                lines.append((str(label), str(d[key])))
        if d.get("conclusion") and "review_event" not in d:
            lines.append((_("Conclusion"), _("close the case") if d["conclusion"] == "close" else _("make a new plan")))
        if e.kind == EventKind.ASSIGNMENT:
            lines.append((_("Worker"), names.get(d.get("worker"), "—")))
        lines += decision_lines(e)
        title = Status(e.to_status).label if e.kind == EventKind.TRANSITION else EventKind(e.kind).label
        out.append({"event": e, "title": title, "lines": lines, "plan": documents.plan_rows(d)[0]})
    return out


def decision_lines(e: CaseEvent) -> list[tuple[str, str]]:
    """A decision's signer and capacity, a closure's ground, a transfer's communes, as timeline lines."""
    d = e.data or {}
    lines: list[tuple[str, str]] = []
    if e.kind == EventKind.TRANSFER:
        lines += [(_("From"), str(d.get("from", ""))), (_("To"), str(d.get("to", "")))]
    if d.get("ground"):
        ground = _("not a child protection case") if d["ground"] == "not_protection_case" else _("safe and stable")
        lines.append((_("Ground"), str(ground)))
    sig = _dict(d.get("signature"))
    if sig:
        signer = str(sig.get("name", ""))
        if sig.get("on_behalf"):
            signer = _("%(name)s, vice-chairman, on behalf of the chairman (%(document)s)") % {
                "name": signer, "document": sig.get("document", ""),
            }  # fmt: skip
        lines.append((_("Decided by"), signer))
    return lines


def _clocks(case: Case) -> list[dict[str, Any]]:
    now = timezone.now()
    rows = []
    for d in case.deadlines.select_related("rule").order_by("due_at"):
        watched = case.is_open or d.rule.survives_closure  # placement follow-ups outlive the case (Art. 43.2)
        state = "met" if d.met_at else ("overdue" if d.due_at < now and watched else "open")
        if state == "open" and watched and d.warn_at and d.warn_at <= now:
            state = "due_soon"
        rows.append({
            "deadline": d, "state": state, "late": bool(d.met_at and d.met_at > d.due_at),
            "left": span((d.due_at - now).total_seconds()),
        })  # fmt: skip
    return rows


def _worker_choices(case: Case) -> QuerySet[User]:
    """Active users with `cases.edit` whose unit is the case's commune or above it, not yet assigned."""
    path = case.commune.path
    prefixes = [path[: i + 1] for i, ch in enumerate(path) if ch == PATH_SEP]
    users = User.objects.filter(is_active=True, unit__path__in=prefixes).exclude(pk__in=case.workers.all())
    ids = [u.pk for u in users.select_related("role") if u.has_capability(cap.CASES_EDIT)]
    return User.objects.filter(pk__in=ids).select_related("role", "unit").order_by("last_name", "first_name")


def _detail_context(request: AuthedRequest, case: Case) -> dict[str, Any]:
    user = request.user
    rights = case_rights(user, case)
    kinds = event_kinds_for(user, case, rights) if case.is_open else []
    steps = [(to, _step_title(case, to)) for to in STATUS_FLOW[Status(case.status)] if may_take(user, case, to, rights)]
    events = list(case.events.select_related("by"))
    referrals = list(case.referrals.select_related("provider", "provider__kind"))
    return {
        "case": case, "clocks": _clocks(case), "timeline": _timeline(events), "steps": steps,
        "workers": case.workers.select_related("role", "unit"), "show_informant": shows_informant(user, case),
        "can_work": rights.work, "event_form": EventForm(kinds=kinds) if kinds else None,
        "refuse_form": RefuseClosureForm() if rights.decide and case.status == Status.CLOSURE_PROPOSED else None,
        "can_transfer": case.is_open and rights.team,
        "assign_form": AssignForm(workers=_worker_choices(case)) if case.is_open and rights.team else None,
        "documents": documents.available(case, events), "now": timezone.now(),
        "abuse_forms": [AbuseForm(f).label for f in case.abuse_forms if f in AbuseForm.values],
        "disclosures": case.disclosures.select_related("by"),
        "can_disclose": rights.team,
        "referrals": referrals, "openable_providers": openable_providers(user, (r.provider_id for r in referrals)),
        "can_refer": rights.work and case.is_open,
        "ack_form": AcknowledgementReceivedForm() if rights.team else None,
        "outcomes": outcomes.outcomes_of(case) if case.category == Category.ABUSED else [],
        "can_record_outcome": rights.team and case.category == Category.ABUSED,
        "needs_helpline_feedback": rights.team and outcomes.needs_helpline_feedback(case),
        **proposals_context(user, case),
    }  # fmt: skip


@require_login  # which cases: `cases_for_user`, 404 for the others (also for roles that see none)
@require_GET
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    case = read_case(request, pk, "Xem hồ sơ vụ việc {code}: diễn biến, thời hạn", informant=True)
    return render(request, "cases/detail.html", _detail_context(request, case))


def _latest(case: Case, status: str) -> CaseEvent | None:
    return case.events.filter(to_status=status).order_by("-at", "-pk").first()


def _step_form(case: Case, to: str, data: Any = None) -> Any:
    if to == Status.PLAN_DRAFTED:
        last = _latest(case, Status.PLAN_DRAFTED)
        rows = last.data.get("plan", []) if last else []
        goal = last.data.get("goal", "") if last else ""
        return PlanForm(data, rows=rows, initial={"goal": goal})
    if to == Status.CLOSURE_PROPOSED and case.status == Status.REVIEW:
        review = _latest(case, Status.REVIEW)
        if not (review and review.data.get("review")):
            return CloseWithReviewForm(data)
    return STEP_FORMS[Status(to)](data)


def _step_data(case: Case, to: str, form: Any) -> dict[str, Any]:
    data = form.data_fields()
    if to == Status.CLOSURE_PROPOSED and case.status == Status.REVIEW and "review" not in data:
        review = _latest(case, Status.REVIEW)
        assert review is not None  # noqa: S101 - without a review the step's form (CloseWithReviewForm) asks for one
        data = {
            "review": review.data["review"], "conclusion": review.data.get("conclusion", "close"),
            "review_event": review.pk,  # a copy of the Mẫu 06 recorded at the review, which the services ask for
        }  # fmt: skip
    return data


@require_login  # which cases: `cases_for_user`, 404 for the others (also for roles that see none)
def step(request: AuthedRequest, pk: int, to: str) -> HttpResponse:
    """One move of the process with its form (Mẫu 02–07, conference minutes, closure)."""
    if to not in STEP_FORMS:
        raise Http404
    with translation.override("vi"):
        what = f"Mở biểu mẫu {{code}}: {STEP_TITLES[Status(to)]}"
    case = case_for_write(request, pk) if request.method == "POST" else read_case(request, pk, what)
    if not may_take(request.user, case, to):
        raise PermissionDenied
    if not case.can_transition_to(to):
        messages.error(request, _("This step is not possible now."))
        return redirect("cases:detail", pk=case.pk)
    form = _step_form(case, to, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.case_transition(
                    actor=request.user, case=case, to=to, at=form.cleaned_data["at"],
                    note=form.cleaned_data.get("note", ""), data=_step_data(case, to, form), request=request,
                )  # fmt: skip
            except ValidationError as exc:
                form_errors_to(form, exc)
            else:
                messages.success(request, _("Saved: %(step)s.") % {"step": Status(to).label})
                return redirect("cases:detail", pk=case.pk)
        case = read_case(request, pk, what)
    fields = [f for f in form.visible_fields() if f.name not in ("on", "hour")]
    context = {
        "case": case, "form": form, "to": to, "title": _step_title(case, to), "levels": LEVELS,
        "factor_fields": [f for f in fields if f.name.startswith("f_")],
        "other_fields": [f for f in fields if not f.name.startswith("f_")],
    }  # fmt: skip
    return render(request, "cases/step.html", context)


@require_login  # which cases: `cases_for_user`, 404 for the others (also for roles that see none)
def event_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """A service, referral, separation, placement, follow-up, court petition or note."""
    what = "Mở biểu mẫu ghi sự việc {code}"
    case = case_for_write(request, pk) if request.method == "POST" else read_case(request, pk, what)
    kinds = event_kinds_for(request.user, case)
    if not kinds:
        raise PermissionDenied
    form = EventForm(request.POST or None, kinds=kinds)
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.case_add_event(
                    actor=request.user, case=case, kind=d["kind"], at=d["at"], note=d["note"], data=form.payload(),
                    request=request,
                )  # fmt: skip
            except ValidationError as exc:
                form_errors_to(form, exc)
            else:
                messages.success(request, _("Saved: %(event)s.") % {"event": EventKind(d["kind"]).label})
                return redirect("cases:detail", pk=case.pk)
        case = read_case(request, pk, what)
    return render(request, "cases/event_form.html", {"case": case, "form": form})


@require_login  # which cases: `cases_for_user`, 404 for the others (also for roles that see none)
@require_POST
def assign(request: AuthedRequest, pk: int) -> HttpResponse:
    case = case_for_write(request, pk)
    if not on_case_team(request.user, case):
        raise PermissionDenied
    form = AssignForm(request.POST, workers=_worker_choices(case))
    if not form.is_valid():
        messages.error(request, _("Choose a worker of this commune."))
        return redirect("cases:detail", pk=case.pk)
    try:
        services.case_assign(actor=request.user, case=case, worker=form.cleaned_data["worker"], request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The worker was assigned."))
    return redirect("cases:detail", pk=case.pk)


# --- the forms as documents --------------------------------------------------------------------------------------


@require_login  # which cases: `cases_for_user`, 404 for the others (also for roles that see none)
@require_GET
def document(request: AuthedRequest, pk: int, mau: str) -> HttpResponse:
    """Mẫu 01–07 filled from the case: printable HTML (audited as a print), or `?format=pdf` (as an export)."""
    if mau not in documents.FORMS:
        raise Http404
    pdf = request.GET.get("format") == "pdf"
    verb, action = ("Xuất PDF", Action.EXPORT) if pdf else ("In", Action.PRINT)
    disclosure = _disclosure_asked(request, pk, mau)
    name = "Quyết định" if mau == "closure" else f"Mẫu số {mau}"
    what = f"{verb} {name} ({documents.FORMS[mau].title.lower()}) vụ việc {{code}}; {_scope_said(mau, disclosure)}"
    case = read_case(request, pk, what, action, informant=mau == "01" and disclosure is None)
    informant = shows_informant(request.user, case) and disclosure is None  # never outside the team
    if not pdf:
        return HttpResponse(documents.render_html(request, case, mau, show_informant=informant, disclosure=disclosure))
    response = HttpResponse(
        documents.render_pdf(request, case, mau, show_informant=informant, disclosure=disclosure),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'inline; filename="{documents.filename(case, mau)}"'
    return response


def _disclosure_asked(request: AuthedRequest, pk: int, mau: str) -> Disclosure | None:
    """The recorded disclosure this print is for (`?disclosure=`): of this case and this form, else 404."""
    raw = request.GET.get("disclosure", "")
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    disclosure = Disclosure.objects.filter(pk=int(raw), case_id=pk, form_number=mau).first()
    if disclosure is None:
        raise Http404
    return disclosure


def _scope_said(mau: str, disclosure: Disclosure | None) -> str:
    """The scope of distribution, as the audit records it with the print (NĐ 56 Art. 24.3)."""
    if disclosure is not None:
        return f"phạm vi: cung cấp cho {disclosure.recipient} (bản ghi cung cấp số {disclosure.pk}, có sự đồng ý)"
    with translation.override("vi"):
        return f"phạm vi: {Distribution(documents.FORMS[mau].distribution).label}"
