"""Case writes: intake, checked status moves, events, assignment. Each write is audited in its transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from treem.accounts import capabilities as cap
from treem.accounts.models import User
from treem.accounts.scope import unit_in_scope
from treem.audit.models import Action
from treem.audit.services import audit_record
from treem.core.dates import date_vn
from treem.registry.models import Child
from treem.units.models import Level, Unit

from . import clocks
from .access import Authority, can_work_on, decision_authority, may_record_delegation, on_case_team, signature
from .calendar import end_of_day, iso_date
from .models import (
    DECISION_EVENT_KINDS,
    INTAKE_FAMILY_FIELDS,
    AbuseForm,
    AbuserRelation,
    Case,
    CaseEvent,
    CaseTransfer,
    Category,
    Delegation,
    EventKind,
    Notification,
    RapidAlert,
    Status,
)
from .notifications import needs_rapid_report

# The rapid report's age groups (upper limit, label); 16–17 is a young person (Luật Trẻ em Art. 1), not a child.
RAPID_AGE_BANDS = ((6, "dưới 6 tuổi"), (11, "6–10 tuổi"), (16, "11–15 tuổi"), (200, "từ 16 đến dưới 18 tuổi"))
# A confirmed abuse case proposes groups of Luật Trẻ em Art. 10 (rules are data: `GroupRule`); an officer confirms.
CONFIRMING_STATUSES = (Status.COMPREHENSIVE_ASSESSMENT,)
# The chairman's decisions among the steps: taken by `access.decision_authority`, signed in the capacity recorded.
DECISION_STEPS = (Status.PLAN_APPROVED, Status.CLOSED)
# Closure grounds (NĐ 56 Art. 30.1b): after the review (Mẫu 06), or, before any assessment, "not a protection case"
# once the verification found so (with the reason).
CLOSURE_SAFE = "safe_stable"
CLOSURE_NOT_A_CASE = "not_protection_case"
EARLY_CLOSURE_FROM = (Status.VERIFICATION, Status.INITIAL_ASSESSMENT)


def _audit(actor: User, case: Case, action: str, summary: str, request: Any = None, **extra: Any) -> None:
    audit_record(
        actor=actor, action=action, target_type="case", target_id=case.pk, unit_path=case.unit_path,
        summary=summary, request=request, extra=extra,
    )  # fmt: skip


def _next_code(commune: Unit, year: int) -> str:
    prefix = f"{commune.code}-{year}-"
    n = Case.objects.filter(code__startswith=prefix).count() + 1
    return f"{prefix}{n:04d}"


@transaction.atomic
def case_open(
    *,
    actor: User,
    commune: Unit,
    intake_at: dt.datetime,
    channel: str,
    category: str,
    description: str,
    child: Child | None = None,
    child_name: str = "",
    child_sex: str = "",
    child_age_estimate: int | None = None,
    abuse_forms: list[str] | None = None,
    setting: str = "",
    abuser_relation: str = "",
    in_danger: bool = False,
    serious: bool = False,
    informant_consents: bool = False,
    informant_name: str = "",
    informant_contact: str = "",
    family: dict[str, Any] | None = None,
    request: Any = None,
) -> Case:
    """Record an intake (Mẫu 01). The recording worker is assigned; the legal clocks start."""
    if not (actor.has_capability(cap.CASES_EDIT) and unit_in_scope(actor, commune)):
        raise PermissionDenied(_("You may not record cases for this unit."))
    if commune.level != Level.COMMUNE:
        raise ValidationError({"commune": _("A case belongs to the commune where it happened.")})
    if child is not None and not child.unit_path.startswith(commune.path) and not unit_in_scope(actor, child.commune):
        raise ValidationError({"child": _("This child is not in your registry.")})
    if intake_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"intake_at": _("The intake time is in the future.")})
    forms = sorted(set(abuse_forms or []))
    unknown = set(forms) - set(AbuseForm.values)
    if unknown:
        raise ValidationError({"abuse_forms": _("Unknown form of abuse.")})
    if category == Category.ABUSED and not forms:
        raise ValidationError({"abuse_forms": _("Say which form of abuse was reported.")})
    if not informant_consents:
        informant_name = informant_contact = ""  # kept only with consent (Mẫu 01)
    case = Case(
        code=_next_code(commune, intake_at.year), commune=commune, unit_path=commune.path, child=child,
        child_name=child.full_name if child else child_name, child_sex=child.sex if child else child_sex,
        child_age_estimate=child_age_estimate, intake_at=intake_at, channel=channel, category=category,
        abuse_forms=forms, setting=setting, description=description, abuser_relation=abuser_relation,
        in_danger=in_danger, serious=serious, informant_consents=informant_consents, informant_name=informant_name,
        informant_contact=informant_contact, status=Status.INTAKE, status_changed_at=intake_at, created_by=actor,
        **_intake_family(family),
    )  # fmt: skip
    case.full_clean(exclude=["workers"])
    case.save()
    case.workers.add(actor)
    CaseEvent.objects.create(case=case, kind=EventKind.TRANSITION, to_status=Status.INTAKE, at=intake_at, by=actor)
    clocks.on_event(case, Status.INTAKE, intake_at)
    _audit(actor, case, Action.CREATE, f"Tiếp nhận vụ việc {case.code}", request)
    if needs_rapid_report(case):  # the province's rule (RapidReportRule)
        _rapid_alert(case)
    return case


def _intake_family(family: dict[str, Any] | None) -> dict[str, Any]:
    family = family or {}
    unknown = set(family) - set(INTAKE_FAMILY_FIELDS)
    if unknown:
        raise ValueError(f"unknown intake fields: {sorted(unknown)}")
    out: dict[str, Any] = {}
    for name in INTAKE_FAMILY_FIELDS:
        value = family.get(name)
        if name.endswith("_age"):
            out[name] = value if value not in ("", None) else None
        else:
            out[name] = (value or "").strip()
    return out


def _rapid_alert(case: Case) -> None:
    """Báo cáo nhanh to the province: form, commune, age group and sex only; never a name."""
    province = case.commune.parent
    while province is not None and province.level != Level.PROVINCE and province.parent_id:
        province = province.parent  # former tree: commune → district → province
    assert province is not None  # noqa: S101 - a commune belongs to a province
    age = case.child_age_at_intake
    band = "không rõ tuổi" if age is None else next(label for limit, label in RAPID_AGE_BANDS if age < limit)
    who = "người chưa thành niên" if case.is_young_person else "trẻ"
    forms = ", ".join(str(AbuseForm(f).label) for f in case.abuse_forms)
    sex = {"M": "nam", "F": "nữ"}.get(case.child_sex, "không rõ giới tính")
    summary = (
        f"Vụ việc mới{' nghiêm trọng' if case.serious else ''} tại {case.commune.name}: {forms or 'xâm hại'}; "
        f"{who} {sex}, {band}; "
        f"ngày {case.intake_at:%d/%m/%Y}"
    )
    RapidAlert.objects.create(province=province, unit_path=province.path, case=case, summary=summary)


def _check_step(actor: User, case: Case, to: str, data: dict[str, Any], at: dt.datetime | None = None) -> None:
    if not case.can_transition_to(to):
        raise ValidationError(
            _("A case cannot go from “%(a)s” to “%(b)s”.") % {"a": Status(case.status).label, "b": Status(to).label}
        )
    if to in DECISION_STEPS:
        _check_decider(actor, case, to, at)
        if to == Status.PLAN_APPROVED and not case.events.filter(to_status=Status.PLAN_DRAFTED).exists():
            raise ValidationError(_("There is no plan to approve."))
    elif not can_work_on(actor, case):
        raise PermissionDenied(_("Only the case's assigned workers move it on."))
    if to == Status.PLAN_DRAFTED and not data.get("plan"):
        raise ValidationError(_("Write the plan: its services, tasks, dates and responsible people."))
    if to == Status.PLAN_DRAFTED:
        check_plan_rows(data["plan"])
    if to == Status.CLOSURE_PROPOSED:
        _check_closure_proposal(case, data)


def _check_decider(actor: Any, case: Case, to: str, at: dt.datetime | None) -> Authority:
    """NĐ 56 Arts. 28.4 and 30.1b–c: the commune chairman approves the plan and decides the closure; a vice-chairman
    only "KT. Chủ tịch" under a delegation valid on the decision's day."""
    authority = decision_authority(actor, case, at)
    if authority is None:
        if to == Status.PLAN_APPROVED:
            raise PermissionDenied(_("Only the commune chairman approves the plan."))
        raise PermissionDenied(_("Only the commune chairman decides the closure of a case."))
    return authority


def _check_closure_proposal(case: Case, data: dict[str, Any]) -> None:
    """Art. 30.1b: closure after the review (Mẫu 06); before an assessment only as "not a protection case", after
    the verification found so, with the reason."""
    if case.status == Status.REVIEW:
        if not data.get("review"):
            raise ValidationError(_("Record the review (Form 06) before closing."))
        return
    if case.status not in EARLY_CLOSURE_FROM:
        raise ValidationError(_("A case is closed after its review."))
    if not case.events.filter(kind=EventKind.TRANSITION, to_status=Status.VERIFICATION).exists():
        raise ValidationError(_("Before an assessment, a case is closed only after its verification."))
    if not str(data.get("reason") or "").strip():
        raise ValidationError(_("Say why this is not a child protection case."))


def _decision_data(actor: Any, case: Case, to: str, at: dt.datetime, data: dict[str, Any]) -> dict[str, Any]:
    """The step's recorded content, with what the decision needs: the signer's capacity, the closure's ground."""
    if to in DECISION_STEPS:
        authority = _check_decider(actor, case, to, at)
        data = {**data, "signature": signature(actor, authority)}
    if to == Status.CLOSURE_PROPOSED:
        data = {**data, "ground": CLOSURE_SAFE if case.status == Status.REVIEW else CLOSURE_NOT_A_CASE}
    if to == Status.CLOSED:
        proposal = case.events.filter(to_status=Status.CLOSURE_PROPOSED).order_by("-at", "-pk").first()
        data = {**data, "proposal_event": proposal.pk if proposal else None,
                "ground": proposal.data.get("ground", "") if proposal else ""}  # fmt: skip
    return data


def check_plan_rows(rows: Any) -> None:
    """Mẫu 04 (NĐ 56 Art. 28.3a, 28.3d): each service or task has its responsible person, a start date, an expected
    end date (not before the start) and a cost estimate (VND, 0 for a free service)."""
    if not isinstance(rows, list) or not rows:
        raise ValidationError(_("Write the plan: its services, tasks, dates and responsible people."))
    for n, row in enumerate(rows, start=1):
        if not isinstance(row, dict) or not str(row.get("service") or "").strip():
            raise ValidationError(_("Plan row %(n)d: write the service or task.") % {"n": n})
        if not str(row.get("responsible") or "").strip():
            raise ValidationError(_("Plan row %(n)d: say who is responsible.") % {"n": n})
        start, end = iso_date(row.get("start")), iso_date(row.get("end"))
        if start is None or end is None:
            raise ValidationError(
                _("Plan row %(n)d: each service or task needs its start and expected end dates.") % {"n": n}
            )
        if end < start:
            raise ValidationError(_("Plan row %(n)d: the end date is before the start date.") % {"n": n})
        cost = row.get("cost")
        if isinstance(cost, bool) or not isinstance(cost, int) or cost < 0:
            raise ValidationError(_("Plan row %(n)d: each service or task needs its cost estimate.") % {"n": n})


@transaction.atomic
def case_transition(
    *, actor: User, case: Case, to: str, at: dt.datetime | None = None, note: str = "",
    data: dict[str, Any] | None = None, request: Any = None,
) -> Case:  # fmt: skip
    """Move a case one step (checked against STATUS_FLOW), stamp the time, stop and start the clocks."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    data = data or {}
    at = at or timezone.now()
    _check_step(actor, case, to, data, at)
    if at < case.status_changed_at:
        raise ValidationError(_("A step cannot be dated before the previous one."))
    data = _decision_data(actor, case, to, at, data)
    CaseEvent.objects.create(
        case=case, kind=EventKind.TRANSITION, from_status=case.status, to_status=to, at=at, by=actor, note=note,
        data=data,
    )  # fmt: skip
    old = case.status
    case.status, case.status_changed_at = to, at
    case.closed_at = at if to == Status.CLOSED else None
    case.save(update_fields=["status", "status_changed_at", "closed_at", *_facts_found(case, to, data)])
    clocks.on_event(case, to, at)
    _audit(actor, case, Action.TRANSITION, f"{Status(old).label} → {Status(to).label}", request)
    if to in CONFIRMING_STATUSES and case.category == Category.ABUSED and case.child_id:
        _record_in_registry(actor, case)
    return case


def _record_in_registry(actor: User, case: Case) -> None:
    from .proposals import proposals_from_case

    proposals_from_case(actor=actor, case=case)  # proposals only: the officer confirms or rejects each


# --- clock facts and the separation's extension (h6) -----------------------------------------------------------

FACT_STEPS = (Status.VERIFICATION, Status.INITIAL_ASSESSMENT)
FACTS = ("in_danger", "serious", "abuser_relation")


def _facts_found(case: Case, to: str, data: dict[str, Any]) -> list[str]:
    """NĐ 56 Arts. 25.2, 26.2: verification and the initial assessment may find what intake did not (the child in
    danger, a serious harm, a parent or caregiver abuser). Set them on the case, so the emergency clock re-checks."""
    if to not in FACT_STEPS:
        return []
    changed = []
    for name in FACTS:
        if name not in data:
            continue
        value = data[name]
        if name == "abuser_relation":
            if value not in AbuserRelation.values:
                raise ValidationError({name: _("Unknown relation.")})
            if not value:
                continue  # "unknown" does not undo what intake recorded
        elif not isinstance(value, bool) or not value:
            continue  # a fact found is added; nothing found keeps the intake's facts
        if getattr(case, name) != value:
            setattr(case, name, value)
            changed.append(name)
    return changed


def _as_date(value: Any, field: str) -> dt.date:
    day = iso_date(value)
    if day is None:
        raise ValidationError({field: _("Enter a valid date.")})
    return day


def _separation_until_check(case: Case, at: dt.datetime, data: dict[str, Any]) -> None:
    """NĐ 56 Art. 32.3: the decision (Mẫu 07) sets its period, within the 15 days in total."""
    if not data.get("until"):
        return
    until = _as_date(data["until"], "until")
    if until < date_vn(at):
        raise ValidationError({"until": _("The separation cannot end before it starts.")})
    limit = clocks.separation_limit_from(case, at)
    if until > date_vn(limit):
        raise ValidationError(
            {"until": _("A separation lasts at most 15 days; longer needs a competent authority's decision.")}
        )
    data["until"] = until.isoformat()


def _extension_data(case: Case, data: dict[str, Any]) -> dict[str, Any]:
    """The extension's decision: number, date, authority and new end, all required (NĐ 56 Art. 32.3)."""
    out = {
        "decision_no": str(data.get("decision_no") or "").strip(),
        "decision_date": data.get("decision_date"),
        "authority": str(data.get("authority") or "").strip(),
        "new_end": data.get("new_end"),
    }
    errors = {k: _("Required for an extension.") for k, v in out.items() if not v}
    if errors:
        raise ValidationError(errors)
    out["decision_date"] = _as_date(out["decision_date"], "decision_date").isoformat()
    out["new_end"] = _as_date(out["new_end"], "new_end").isoformat()
    if not case.events.filter(kind=EventKind.SEPARATION).exists():
        raise ValidationError(_("There is no separation to extend."))
    if "signature" in data:  # who decided (the chairman, or "KT. Chủ tịch"): see check_event_actor
        out["signature"] = data["signature"]
    return out


@transaction.atomic
def separation_extend(
    *, actor: User, case: Case, decision_no: str, decision_date: dt.date, authority: str, new_end: dt.date,
    at: dt.datetime | None = None, note: str = "", request: Any = None,
) -> CaseEvent:  # fmt: skip
    """Record an extension of the temporary separation with its decision. It keeps the 15-day clock running; a
    longer separation decided by a competent authority moves the clock to the new end (NĐ 56 Art. 32.3)."""
    data = {"decision_no": decision_no, "decision_date": decision_date, "authority": authority, "new_end": new_end}
    return case_add_event(
        actor=actor, case=case, kind=EventKind.SEPARATION_EXTENDED, at=at, note=note, data=data, request=request
    )


@transaction.atomic
def case_add_event(
    *, actor: User, case: Case, kind: str, at: dt.datetime | None = None, note: str = "",
    data: dict[str, Any] | None = None, request: Any = None,
) -> CaseEvent:  # fmt: skip
    """Record a service, referral, separation, placement, follow-up or court petition."""
    at = at or timezone.now()
    data = check_event_actor(actor=actor, case=case, kind=kind, at=at, data=data or {})
    if kind not in EventKind.values or kind in SERVICE_ONLY_KINDS:
        raise ValidationError(_("Unknown event."))
    if kind == EventKind.SEPARATION_EXTENDED:
        data = _extension_data(case, data)
    elif kind == EventKind.SEPARATION:
        _separation_until_check(case, at, data)
    event = CaseEvent.objects.create(case=case, kind=kind, at=at, by=actor, note=note, data=data)
    clocks.on_event(case, kind, at)
    if kind == EventKind.SEPARATION_EXTENDED:
        clocks.separation_extended(case, event, end_of_day(dt.date.fromisoformat(data["new_end"])))
    _audit(actor, case, Action.CHANGE, f"{EventKind(kind).label}", request)
    return event


@transaction.atomic
def case_assign(*, actor: User, case: Case, worker: User, request: Any = None) -> None:
    if not on_case_team(actor, case):
        raise PermissionDenied(_("You may not assign workers to this case."))
    if not (worker.has_capability(cap.CASES_EDIT) and unit_in_scope(worker, case.commune)):
        raise ValidationError(_("This person cannot work on cases of this commune."))
    case.workers.add(worker)
    CaseEvent.objects.create(
        case=case, kind=EventKind.ASSIGNMENT, at=timezone.now(), by=actor, data={"worker": worker.pk}
    )
    _audit(actor, case, Action.CHANGE, f"Phân công {worker.get_full_name() or worker.username}", request)


# --- who records which event: the chairman's decisions on separation (NĐ 56 Art. 32.2–3) ------------------------

# Written only by their own services (not through `case_add_event`).
SERVICE_ONLY_KINDS = (EventKind.TRANSITION, EventKind.ASSIGNMENT, EventKind.TRANSFER, EventKind.CLOSURE_REFUSED)


def check_event_actor(*, actor: Any, case: Case, kind: str, at: dt.datetime, data: dict[str, Any]) -> dict[str, Any]:
    """A separation, its extension and its end are the chairman's decisions (a vice-chairman's only under a
    delegation); the other events are the assigned workers'. Returns the event's data with the decision's signature.
    Ending a separation needs the family's re-assessment (Mẫu 03) recorded since it began (Art. 32.3)."""
    if kind in DECISION_EVENT_KINDS:
        authority = decision_authority(actor, case, at)
        if authority is None:
            raise PermissionDenied(
                _("Only the commune chairman decides a separation, its extension and its end (NĐ 56 Art. 32).")
            )
        if kind == EventKind.SEPARATION_END:
            check_reassessment_before_end(case, at)
        return {**data, "signature": signature(actor, authority)}
    if not can_work_on(actor, case):
        raise PermissionDenied(_("Only the case's assigned workers record its events."))
    return data


def check_reassessment_before_end(case: Case, at: dt.datetime) -> None:
    """NĐ 56 Art. 32.3: the separation ends once the parents' or caregiver's safety is re-assessed (Mẫu 03)."""
    start = case.events.filter(kind=EventKind.SEPARATION, at__lte=at).order_by("-at", "-pk").first()
    if start is None:
        raise ValidationError(_("There is no separation to end."))
    reassessed = (
        case.events.filter(at__gte=start.at, at__lte=at)
        .filter(
            Q(kind=EventKind.SEPARATION_REVIEW)
            | Q(kind=EventKind.TRANSITION, to_status=Status.COMPREHENSIVE_ASSESSMENT)
        )
        .exists()
    )
    if not reassessed:
        raise ValidationError(
            _("Record the re-assessment of the family's safety (Form 03) before ending the separation.")
        )


# --- the chairman refuses a proposed closure (NĐ 56 Art. 30.1c) -------------------------------------------------


@transaction.atomic
def closure_refuse(*, actor: Any, case: Case, note: str, at: dt.datetime | None = None, request: Any = None) -> Case:
    """The chairman does not close: the case goes back to the step it was proposed from, with the reason."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    at = at or timezone.now()
    if case.status != Status.CLOSURE_PROPOSED:
        raise ValidationError(_("No closure is proposed for this case."))
    authority = _check_decider(actor, case, Status.CLOSED, at)
    if not note.strip():
        raise ValidationError(_("Say why the case is not closed."))
    if at < case.status_changed_at:
        raise ValidationError(_("A step cannot be dated before the previous one."))
    proposal = case.events.filter(to_status=Status.CLOSURE_PROPOSED).order_by("-at", "-pk").first()
    back = proposal.from_status if proposal and proposal.from_status else Status.REVIEW
    CaseEvent.objects.create(
        case=case, kind=EventKind.CLOSURE_REFUSED, from_status=case.status, to_status=back, at=at, by=actor,
        note=note, data={"signature": signature(actor, authority)},
    )  # fmt: skip
    case.status, case.status_changed_at = back, at
    case.save(update_fields=["status", "status_changed_at"])
    _audit(actor, case, Action.TRANSITION, f"Không đồng ý kết thúc vụ việc → {Status(back).label}", request)
    return case


# --- the commune where the child lives holds the case (Luật Trẻ em Art. 52.2) -----------------------------------


@transaction.atomic
def case_transfer(
    *, actor: Any, case: Case, to_commune: Unit, reason: str, at: dt.datetime | None = None, request: Any = None
) -> CaseTransfer:
    """Move an open case, with its history, to the commune where the child now lives (any province). The receiving
    commune's chairman sees it and its child-protection workers are assigned; the sending workers are not any more
    (the sending commune reads what happened up to the transfer: `access.sent_transfer_for_user`)."""
    case = Case.objects.select_for_update().select_related("commune").get(pk=case.pk)
    if not on_case_team(actor, case):
        raise PermissionDenied(_("Only the case's workers or the commune chairman transfer a case."))
    if not case.is_open:
        raise ValidationError(_("A closed case is not transferred."))
    if to_commune.level != Level.COMMUNE or not to_commune.is_active:
        raise ValidationError({"to_commune": _("A case is transferred to a commune.")})
    if to_commune.pk == case.commune_id:
        raise ValidationError({"to_commune": _("The case is already held by this commune.")})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the case is transferred (where the child now lives).")})
    at = at or timezone.now()
    if at < case.status_changed_at or at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError(_("The transfer cannot be dated before the last step or in the future."))
    source = case.commune
    staff = list(User.objects.filter(unit=to_commune, is_active=True).select_related("role"))
    receivers = [u for u in staff if u.has_capability(cap.CASES_EDIT)]
    deciders = [u for u in staff if u.has_capability(cap.CASES_APPROVE)]
    event = CaseEvent.objects.create(
        case=case, kind=EventKind.TRANSFER, at=at, by=actor, note=reason,
        data={"from": source.name, "from_id": source.pk, "to": to_commune.name, "to_id": to_commune.pk,
              "assigned": [u.pk for u in receivers]},
    )  # fmt: skip
    transfer = CaseTransfer.objects.create(
        case=case, event=event, from_commune=source, from_path=source.path, to_commune=to_commune, at=at, by=actor,
        reason=reason, workers=list(case.workers.values_list("pk", flat=True)),
    )  # fmt: skip
    case.commune, case.unit_path = to_commune, to_commune.path
    case.save(update_fields=["commune", "unit_path"])
    case.workers.set(receivers)
    message = f"Vụ việc {case.code} được chuyển đến từ {source.name}: {reason}"[:500]
    Notification.objects.bulk_create(
        [
            Notification(recipient=u, case=case, message=message)
            for u in {u.pk: u for u in [*deciders, *receivers]}.values()
        ]
    )
    summary = f"Chuyển vụ việc {case.code} từ {source.name} đến {to_commune.name}"
    audit_record(
        actor=actor, action=Action.CHANGE, target_type="case", target_id=case.pk, unit_path=source.path,
        summary=summary, request=request, extra={"transfer": transfer.pk, "to_path": to_commune.path},
    )  # fmt: skip
    _audit(actor, case, Action.CHANGE, summary, request, transfer=transfer.pk, from_path=source.path)
    return transfer


# --- delegations: the chairman's decisions signed "KT. Chủ tịch" by a vice-chairman --------------------------------


@transaction.atomic
def delegation_grant(
    *, actor: Any, commune: Unit, delegate: Any, valid_from: dt.date, valid_to: dt.date, document: str,
    request: Any = None,
) -> Delegation:  # fmt: skip
    """Record the chairman's delegation (the document giving it) to a vice-chairman of the same commune."""
    if not may_record_delegation(actor, commune):
        raise PermissionDenied(_("Only the commune chairman or an administrator records a delegation."))
    if commune.level != Level.COMMUNE:
        raise ValidationError({"commune": _("A delegation is given in a commune.")})
    if not (
        delegate.is_active and delegate.unit_id == commune.pk and delegate.has_capability(cap.CASES_APPROVE_ON_BEHALF)
    ):
        raise ValidationError({"delegate": _("The delegate must be a vice-chairman of this commune.")})
    if valid_to < valid_from:
        raise ValidationError({"valid_to": _("The end date is before the start date.")})
    document = document.strip()
    if not document:
        raise ValidationError({"document": _("Write the document that gives the delegation (number, date).")})
    delegation = Delegation(
        commune=commune, delegate=delegate, valid_from=valid_from, valid_to=valid_to, document=document,
        created_by=actor,
    )  # fmt: skip
    delegation.full_clean()
    delegation.save()
    audit_record(
        actor=actor, action=Action.CREATE, target_type="delegation", target_id=delegation.pk, unit_path=commune.path,
        summary=(
            f"Ủy quyền ký thay Chủ tịch cho {delegate.get_full_name() or delegate.username} "
            f"từ {valid_from:%d/%m/%Y} đến {valid_to:%d/%m/%Y} ({document})"
        ),
        request=request,
    )  # fmt: skip
    return delegation


@transaction.atomic
def delegation_revoke(*, actor: Any, delegation: Delegation, request: Any = None) -> Delegation:
    commune = delegation.commune
    if not may_record_delegation(actor, commune):
        raise PermissionDenied(_("Only the commune chairman or an administrator records a delegation."))
    if delegation.revoked_at is None:
        delegation.revoked_at = timezone.now()
        delegation.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor, action=Action.CHANGE, target_type="delegation", target_id=delegation.pk,
            unit_path=commune.path, summary=f"Thu hồi ủy quyền ký thay Chủ tịch ({delegation.document})",
            request=request,
        )  # fmt: skip
    return delegation
