"""The case's steps: a checked move along STATUS_FLOW with the form's content, the facts the steps find, the
plan's rows (Mẫu 04), and the group proposals of a confirmed abuse case."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from treem.accounts.models import User
from treem.audit.models import Action

from .. import clocks
from ..access import can_work_on
from ..calendar import iso_date
from ..models import (
    AbuserRelation,
    Case,
    CaseEvent,
    Category,
    EventKind,
    Status,
)
from .common import audit_case
from .decisions import DECISION_STEPS, check_decider, decision_data

# A confirmed abuse case proposes groups of Luật Trẻ em Art. 10 (rules are data: `GroupRule`); an officer confirms.
CONFIRMING_STATUSES = (Status.COMPREHENSIVE_ASSESSMENT,)
# Before an assessment, a case closes only as "not a protection case", after its verification (NĐ 56 Art. 30.1b).
EARLY_CLOSURE_FROM = (Status.VERIFICATION, Status.INITIAL_ASSESSMENT)
# What verification and the initial assessment may find that intake did not (the emergency clock re-checks it).
FACT_STEPS = (Status.VERIFICATION, Status.INITIAL_ASSESSMENT)
FACTS = ("in_danger", "serious", "abuser_relation")


def _check_step(actor: User, case: Case, to: str, data: dict[str, Any], at: dt.datetime | None = None) -> None:
    if not case.can_transition_to(to):
        raise ValidationError(
            _("A case cannot go from “%(a)s” to “%(b)s”.") % {"a": Status(case.status).label, "b": Status(to).label}
        )
    if to in DECISION_STEPS:
        check_decider(actor, case, to, at)
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
    data = decision_data(actor, case, to, at, data)
    CaseEvent.objects.create(
        case=case, kind=EventKind.TRANSITION, from_status=case.status, to_status=to, at=at, by=actor, note=note,
        data=data,
    )  # fmt: skip
    old = case.status
    case.status, case.status_changed_at = to, at
    case.closed_at = at if to == Status.CLOSED else None
    case.save(update_fields=["status", "status_changed_at", "closed_at", *_facts_found(case, to, data)])
    clocks.on_event(case, to, at)
    audit_case(actor, case, Action.TRANSITION, f"{Status(old).label} → {Status(to).label}", request)
    if to in CONFIRMING_STATUSES and case.category == Category.ABUSED and case.child_id:
        _record_in_registry(actor, case)
    return case


def _record_in_registry(actor: User, case: Case) -> None:
    from ..proposals import proposals_from_case

    proposals_from_case(actor=actor, case=case)  # proposals only: the officer confirms or rejects each


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
