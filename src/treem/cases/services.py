"""Case writes: intake, checked status moves, events, assignment. Each write is audited in its transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
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
from .access import can_approve, can_work_on
from .models import AbuseForm, Case, CaseEvent, Category, EventKind, RapidAlert, Status

# A confirmed abuse case puts the child in the matching group of Luật Trẻ em Art. 10 from the intake date.
ABUSE_GROUPS = {
    AbuseForm.SEXUAL_ABUSE: "l",
    AbuseForm.TRAFFICKING: "m",
    AbuseForm.EXPLOITATION: "k",
    AbuseForm.ABANDONMENT: "b",
}
RAPID_FORMS = (AbuseForm.SEXUAL_ABUSE, AbuseForm.TRAFFICKING)
RAPID_AGE_BANDS = ((6, "dưới 6 tuổi"), (11, "6–10 tuổi"), (16, "11–15 tuổi"), (200, "16–17 tuổi"))
CONFIRMING_STATUSES = (Status.COMPREHENSIVE_ASSESSMENT,)
# Content each step must carry before the case may enter it (the form's required parts).
REQUIRED_DATA = {
    Status.PLAN_APPROVED: "plan",
    Status.CLOSED: "review",
}


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
    )  # fmt: skip
    case.full_clean(exclude=["workers"])
    case.save()
    case.workers.add(actor)
    CaseEvent.objects.create(case=case, kind=EventKind.TRANSITION, to_status=Status.INTAKE, at=intake_at, by=actor)
    clocks.on_event(case, Status.INTAKE, intake_at)
    _audit(actor, case, Action.CREATE, f"Tiếp nhận vụ việc {case.code}", request)
    if case.category == Category.ABUSED and (case.serious or set(forms) & set(RAPID_FORMS)):
        _rapid_alert(case)
    return case


def _rapid_alert(case: Case) -> None:
    """Báo cáo nhanh to the province: form, commune, age group and sex only; never a name."""
    province = case.commune.parent
    assert province is not None  # noqa: S101 - a commune belongs to a province
    age = case.child.age if case.child else case.child_age_estimate
    band = (
        "không rõ tuổi"
        if age is None
        else ("dưới 6 tuổi" if age < 6 else "6–10 tuổi" if age < 11 else "11–15 tuổi" if age < 16 else "16–17 tuổi")
    )
    forms = ", ".join(str(AbuseForm(f).label) for f in case.abuse_forms)
    sex = {"M": "nam", "F": "nữ"}.get(case.child_sex, "không rõ giới tính")
    summary = (
        f"Vụ việc mới nghiêm trọng tại {case.commune.name}: {forms or 'xâm hại'}; trẻ {sex}, {band}; "
        f"ngày {case.intake_at:%d/%m/%Y}"
    )
    RapidAlert.objects.create(province=province, unit_path=province.path, case=case, summary=summary)


def _check_step(actor: User, case: Case, to: str, data: dict[str, Any]) -> None:
    if not case.can_transition_to(to):
        raise ValidationError(
            _("A case cannot go from “%(a)s” to “%(b)s”.") % {"a": Status(case.status).label, "b": Status(to).label}
        )
    if to == Status.PLAN_APPROVED:
        if not can_approve(actor, case):
            raise PermissionDenied(_("Only the commune chairman approves the plan."))
        if not case.events.filter(to_status=Status.PLAN_DRAFTED).exists():
            raise ValidationError(_("There is no plan to approve."))
    elif not can_work_on(actor, case) and not (to == Status.CLOSED and can_approve(actor, case)):
        raise PermissionDenied(_("Only the case's assigned workers move it on."))
    if to == Status.PLAN_DRAFTED and not data.get("plan"):
        raise ValidationError(_("Write the plan: its services, tasks, dates and responsible people."))
    if to == Status.CLOSED and case.status == Status.REVIEW and not data.get("review"):
        raise ValidationError(_("Record the review (Form 06) before closing."))
    if to == Status.CLOSED and case.status not in (
        Status.REVIEW,
        Status.INTAKE,
        Status.VERIFICATION,
        Status.INITIAL_ASSESSMENT,
    ):
        raise ValidationError(_("A case is closed after its review."))


@transaction.atomic
def case_transition(
    *, actor: User, case: Case, to: str, at: dt.datetime | None = None, note: str = "",
    data: dict[str, Any] | None = None, request: Any = None,
) -> Case:  # fmt: skip
    """Move a case one step (checked against STATUS_FLOW), stamp the time, stop and start the clocks."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    data = data or {}
    _check_step(actor, case, to, data)
    at = at or timezone.now()
    if at < case.status_changed_at:
        raise ValidationError(_("A step cannot be dated before the previous one."))
    CaseEvent.objects.create(
        case=case, kind=EventKind.TRANSITION, from_status=case.status, to_status=to, at=at, by=actor, note=note,
        data=data,
    )  # fmt: skip
    old = case.status
    case.status, case.status_changed_at = to, at
    case.closed_at = at if to == Status.CLOSED else None
    case.save(update_fields=["status", "status_changed_at", "closed_at"])
    clocks.on_event(case, to, at)
    _audit(actor, case, Action.TRANSITION, f"{Status(old).label} → {Status(to).label}", request)
    if to in CONFIRMING_STATUSES and case.category == Category.ABUSED and case.child_id:
        _record_in_registry(actor, case)
    return case


def _record_in_registry(actor: User, case: Case) -> None:
    from treem.registry.models import CircumstanceType
    from treem.registry.services import circumstance_add_from_case

    child = case.child
    assert child is not None  # noqa: S101 - called for a case about a child of the registry
    for form in case.abuse_forms:
        code = ABUSE_GROUPS.get(form)
        if code is None:
            continue
        group = CircumstanceType.objects.filter(kind="special", code=code).first()
        if group is None or child.circumstances.filter(type=group, valid_to__isnull=True).exists():
            continue
        circumstance_add_from_case(
            actor=actor, child=child, type=group, valid_from=date_vn(case.intake_at),
            source=f"Vụ việc {case.code}", source_case_id=case.pk, source_unit_path=case.unit_path,
        )  # fmt: skip


@transaction.atomic
def case_add_event(
    *, actor: User, case: Case, kind: str, at: dt.datetime | None = None, note: str = "",
    data: dict[str, Any] | None = None, request: Any = None,
) -> CaseEvent:  # fmt: skip
    """Record a service, referral, separation, placement, follow-up or court petition."""
    if not can_work_on(actor, case):
        raise PermissionDenied(_("Only the case's assigned workers record its events."))
    if kind not in EventKind.values or kind in (EventKind.TRANSITION, EventKind.ASSIGNMENT):
        raise ValidationError(_("Unknown event."))
    at = at or timezone.now()
    event = CaseEvent.objects.create(case=case, kind=kind, at=at, by=actor, note=note, data=data or {})
    clocks.on_event(case, kind, at)
    _audit(actor, case, Action.CHANGE, f"{EventKind(kind).label}", request)
    return event


@transaction.atomic
def case_assign(*, actor: User, case: Case, worker: User, request: Any = None) -> None:
    if not (can_work_on(actor, case) or can_approve(actor, case)):
        raise PermissionDenied(_("You may not assign workers to this case."))
    if not (worker.has_capability(cap.CASES_EDIT) and unit_in_scope(worker, case.commune)):
        raise ValidationError(_("This person cannot work on cases of this commune."))
    case.workers.add(worker)
    CaseEvent.objects.create(
        case=case, kind=EventKind.ASSIGNMENT, at=timezone.now(), by=actor, data={"worker": worker.pk}
    )
    _audit(actor, case, Action.CHANGE, f"Phân công {worker.get_full_name() or worker.username}", request)
