"""Writing plans, tasks and their progress. Every write checks who may do it, runs in one transaction and leaves an
audit row in the same transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from treem.accounts import capabilities as cap
from treem.accounts.models import User
from treem.accounts.scope import unit_in_scope
from treem.audit.models import Action
from treem.audit.services import audit_record
from treem.core.dates import today_vn
from treem.core.uploads import check_document
from treem.registry.models import Child
from treem.units.models import Unit

from .models import (
    Agency,
    AgencyKind,
    EventKind,
    EventReport,
    Evidence,
    FundingSource,
    Participant,
    Plan,
    PlanStatus,
    Programme,
    ProgressUpdate,
    Recommendation,
    RecommendationStatus,
    Section,
    Task,
    TaskStatus,
)
from .selectors import event_children, may_manage, may_report


def _name(user: User) -> str:
    return user.get_full_name() or user.username


def _require_manager(actor: User, plan: Plan) -> None:
    if not may_manage(actor, plan):
        raise PermissionDenied


def _require_reporter(actor: User, task: Task) -> None:
    if not may_report(actor, task):
        raise PermissionDenied


# --- agencies and programmes -------------------------------------------------------------------------------------


@transaction.atomic
def agency_create(*, actor: User, unit: Unit, kind: AgencyKind, name: str, short_name: str = "") -> Agency:
    if not (actor.has_capability(cap.PLANS_MANAGE) or actor.has_capability(cap.USERS_MANAGE)):
        raise PermissionDenied
    if not unit_in_scope(actor, unit):
        raise PermissionDenied
    agency = Agency.objects.create(unit=unit, kind=kind, name=name.strip(), short_name=short_name.strip())
    audit_record(
        actor=actor, action=Action.CREATE, target_type="agency", target_id=agency.pk, unit_path=agency.unit_path,
        summary=f"Thêm cơ quan thực hiện: {agency.name}",
    )  # fmt: skip
    return agency


@transaction.atomic
def agency_member_add(*, actor: User, agency: Agency, user: User) -> None:
    """Link a user to the agency they report for (an agency reporter of the agency's unit or above it)."""
    if not (actor.has_capability(cap.USERS_MANAGE) or actor.has_capability(cap.PLANS_MANAGE)):
        raise PermissionDenied
    if not unit_in_scope(actor, agency.unit):
        raise PermissionDenied
    if not user.has_capability(cap.TASKS_REPORT):
        raise ValidationError(_("Only a user who reports on tasks can be a member of an agency."))
    agency.members.add(user)
    audit_record(
        actor=actor, action=Action.CHANGE, target_type="agency", target_id=agency.pk, unit_path=agency.unit_path,
        summary=f"Gán người báo cáo {user.username} cho {agency.name}", extra={"member": user.pk},
    )  # fmt: skip


@transaction.atomic
def programme_create(
    *, actor: User, code: str, name: str, start_year: int, end_year: int, unit: Unit | None = None,
    document: str = "", targets: list[Any] | None = None,
) -> Programme:  # fmt: skip
    if not actor.has_capability(cap.PLANS_MANAGE):
        raise PermissionDenied
    if unit is not None and not unit_in_scope(actor, unit):
        raise PermissionDenied
    if end_year < start_year:
        raise ValidationError({"end_year": _("The programme ends before it starts.")})
    programme = Programme.objects.create(
        code=code, name=name, unit=unit, start_year=start_year, end_year=end_year, document=document
    )
    if targets:
        programme.targets.set(targets)
    audit_record(
        actor=actor, action=Action.CREATE, target_type="programme", target_id=programme.pk,
        unit_path=unit.path if unit else "", summary=f"Thêm chương trình: {name}",
    )  # fmt: skip
    return programme


# --- plans, sections, tasks -------------------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *, actor: User, unit: Unit, year: int, title: str, number: str = "", programme: Programme | None = None
) -> Plan:
    if not actor.has_capability(cap.PLANS_MANAGE) or not unit_in_scope(actor, unit):
        raise PermissionDenied
    if programme is not None and not programme.start_year <= year <= programme.end_year:
        raise ValidationError({"year": _("The year is outside the programme's years.")})
    plan = Plan(unit=unit, year=year, title=title.strip(), number=number.strip(), programme=programme)
    _require_manager(actor, plan)
    plan.save()
    audit_record(
        actor=actor, action=Action.CREATE, target_type="plan", target_id=plan.pk, unit_path=plan.unit_path,
        summary=f"Thêm kế hoạch {plan.number} năm {year}: {plan.title}",
    )  # fmt: skip
    return plan


@transaction.atomic
def plan_approve(*, actor: User, plan: Plan, approved_on: dt.date, approved_by: str = "") -> Plan:
    """Record the plan's approval (the date it was signed, by whom)."""
    _require_manager(actor, plan)
    if approved_on > today_vn():
        raise ValidationError({"approved_on": _("The date is in the future.")})
    plan.status = PlanStatus.APPROVED
    plan.approved_on = approved_on
    plan.approved_by = approved_by.strip()
    plan.save(update_fields=["status", "approved_on", "approved_by"])
    audit_record(
        actor=actor, action=Action.TRANSITION, target_type="plan", target_id=plan.pk, unit_path=plan.unit_path,
        summary=f"Ghi nhận phê duyệt kế hoạch {plan.number} ngày {approved_on:%d/%m/%Y}",
    )  # fmt: skip
    return plan


@transaction.atomic
def section_create(*, actor: User, plan: Plan, title: str, number: str = "") -> Section:
    _require_manager(actor, plan)
    order = plan.sections.count() * 10
    section = Section.objects.create(plan=plan, title=title.strip(), number=number.strip(), sort_order=order)
    audit_record(
        actor=actor, action=Action.CHANGE, target_type="plan", target_id=plan.pk, unit_path=plan.unit_path,
        summary=f"Thêm mục {section}",
    )  # fmt: skip
    return section


@transaction.atomic
def task_create(
    *, actor: User, section: Section, title: str, deadline: dt.date, agency: Agency | None = None,
    assignee_unit: Unit | None = None, number: str = "", description: str = "", expected_result: str = "",
    budget: int | None = None, funding_source: str = "", event_kind: EventKind | None = None, theme: str = "",
    event_date: dt.date | None = None,
) -> Task:  # fmt: skip
    plan = section.plan
    _require_manager(actor, plan)
    errors: dict[str, str] = {}
    if (agency is None) == (assignee_unit is None):
        errors["agency"] = _("Assign the task to one agency or to one unit.")
    if agency is not None and not agency.unit.path.startswith(plan.unit.path):
        errors["agency"] = _("The agency is not of this plan's unit or below it.")
    if assignee_unit is not None and not assignee_unit.path.startswith(plan.unit.path):
        errors["assignee_unit"] = _("The unit is not this plan's unit or below it.")
    if budget is not None and budget < 0:
        errors["budget"] = _("The budget cannot be negative.")
    if budget and not funding_source:
        errors["funding_source"] = _("Give the source of funds of the budget.")
    if funding_source and funding_source not in FundingSource.values:
        errors["funding_source"] = _("Unknown source of funds.")
    if theme and (event_kind is None or not event_kind.has_theme):
        errors["theme"] = _("Only an event with a theme of the year has a theme.")
    if errors:
        raise ValidationError(errors)
    task = Task.objects.create(
        plan=plan, section=section, number=number.strip(), title=title.strip(), description=description,
        agency=agency, assignee_unit=assignee_unit, deadline=deadline, expected_result=expected_result,
        budget=budget, funding_source=funding_source, event_kind=event_kind, theme=theme.strip(),
        event_date=event_date, sort_order=section.tasks.count() * 10,
    )  # fmt: skip
    audit_record(
        actor=actor, action=Action.CREATE, target_type="plan_task", target_id=task.pk, unit_path=task.unit_path,
        summary=f"Giao nhiệm vụ cho {task.assignee}: {task.title[:200]}", extra={"plan": plan.pk},
    )  # fmt: skip
    return task


# --- progress ----------------------------------------------------------------------------------------------------


@transaction.atomic
def progress_record(
    *, actor: User, task: Task, on: dt.date, status: str, percent: int, note: str = "", difficulties: str = "",
    evidence: list[UploadedFile] | None = None,
) -> ProgressUpdate:  # fmt: skip
    """A dated progress report on the task, signed by `actor`: a new history row; the task shows the latest."""
    _require_reporter(actor, task)
    errors: dict[str, str] = {}
    if status not in TaskStatus.values:
        errors["status"] = _("Unknown status.")
    if not 0 <= percent <= 100:
        errors["percent"] = _("The percent done is between 0 and 100.")
    elif status == TaskStatus.DONE and percent != 100:
        errors["percent"] = _("A task marked done must be at 100 percent.")
    elif status == TaskStatus.NOT_STARTED and percent != 0:
        errors["status"] = _("A task with progress has started.")
    if on > today_vn():
        errors["on"] = _("The date is in the future.")
    if not (note.strip() or difficulties.strip() or evidence):
        errors["note"] = _("Say what was done.")
    names = []
    for upload in evidence or []:
        try:
            names.append(check_document(upload, field="evidence"))
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    update = ProgressUpdate.objects.create(
        task=task, on=on, status=status, percent=percent, note=note.strip(), difficulties=difficulties.strip(),
        author=actor, author_name=_name(actor),
    )  # fmt: skip
    for upload, name in zip(evidence or [], names, strict=True):
        Evidence.objects.create(task=task, update=update, file=upload, name=name, uploaded_by=actor)
    if task.updated_on is None or on >= task.updated_on:  # a late report of an earlier date stays in the history
        task.status, task.percent, task.updated_on = status, percent, on
        task.save(update_fields=["status", "percent", "updated_on"])
    audit_record(
        actor=actor, action=Action.CHANGE, target_type="plan_task", target_id=task.pk, unit_path=task.unit_path,
        summary=f"Báo cáo tiến độ ngày {on:%d/%m/%Y}: {percent}% ({TaskStatus(status).label})",
        extra={"update": update.pk, "files": len(evidence or [])},
    )  # fmt: skip
    return update


# --- events ------------------------------------------------------------------------------------------------------


def _require_event(task: Task) -> None:
    if task.event_kind_id is None:
        raise ValidationError(_("This task is not an event."))


@transaction.atomic
def event_report_save(
    *, actor: User, task: Task, narrative: str, children_count: int, adults_count: int, held_on: dt.date | None = None
) -> EventReport:
    _require_reporter(actor, task)
    _require_event(task)
    if held_on is not None and held_on > today_vn():
        raise ValidationError({"held_on": _("The date is in the future.")})
    if children_count < 0 or adults_count < 0:
        raise ValidationError(_("Counts cannot be negative."))
    report, _created = EventReport.objects.update_or_create(
        task=task,
        defaults={
            "narrative": narrative.strip(), "children_count": children_count, "adults_count": adults_count,
            "held_on": held_on, "updated_by": actor,
        },
    )  # fmt: skip
    audit_record(
        actor=actor, action=Action.CHANGE, target_type="plan_task", target_id=task.pk, unit_path=task.unit_path,
        summary=f"Báo cáo sự kiện: {children_count} trẻ em, {adults_count} người lớn tham gia",
    )  # fmt: skip
    return report


@transaction.atomic
def participant_add(*, actor: User, task: Task, child: Child) -> Participant:
    """List a child as a participant: only a child of the registry in the actor's scope."""
    _require_reporter(actor, task)
    _require_event(task)
    if not event_children(actor).filter(pk=child.pk).exists():
        raise PermissionDenied
    participant, created = Participant.objects.get_or_create(task=task, child=child, defaults={"added_by": actor})
    if created:
        audit_record(
            actor=actor, action=Action.CHANGE, target_type="plan_task", target_id=task.pk, unit_path=task.unit_path,
            summary=f"Thêm trẻ em tham gia sự kiện (mã {child.pk})", extra={"child": child.pk},
        )  # fmt: skip
    return participant


@transaction.atomic
def participant_remove(*, actor: User, participant: Participant) -> None:
    task = participant.task
    _require_reporter(actor, task)
    if not event_children(actor).filter(pk=participant.child_id).exists():
        raise PermissionDenied
    child_id = participant.child_id
    participant.delete()
    audit_record(
        actor=actor, action=Action.CHANGE, target_type="plan_task", target_id=task.pk, unit_path=task.unit_path,
        summary=f"Bỏ trẻ em khỏi danh sách tham gia sự kiện (mã {child_id})", extra={"child": child_id},
    )  # fmt: skip


@transaction.atomic
def recommendation_add(*, actor: User, task: Task, text: str, addressed_to: str = "") -> Recommendation:
    _require_reporter(actor, task)
    _require_event(task)
    if not (task.event_kind and task.event_kind.has_recommendations):
        raise ValidationError(_("Only a children's forum collects recommendations."))
    if not text.strip():
        raise ValidationError({"text": _("Write the recommendation.")})
    rec = Recommendation.objects.create(
        task=task, text=text.strip(), addressed_to=addressed_to.strip(), created_by=actor
    )
    audit_record(
        actor=actor, action=Action.CHANGE, target_type="plan_task", target_id=task.pk, unit_path=task.unit_path,
        summary=f"Ghi kiến nghị của trẻ em gửi {rec.addressed_to or '—'}", extra={"recommendation": rec.pk},
    )  # fmt: skip
    return rec


@transaction.atomic
def recommendation_follow_up(*, actor: User, recommendation: Recommendation, follow_up: str, status: str) -> None:
    task = recommendation.task
    _require_reporter(actor, task)
    if status not in RecommendationStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    recommendation.follow_up = follow_up.strip()
    recommendation.status = status
    recommendation.save(update_fields=["follow_up", "status"])
    audit_record(
        actor=actor, action=Action.CHANGE, target_type="plan_task", target_id=task.pk, unit_path=task.unit_path,
        summary=f"Cập nhật trả lời kiến nghị của trẻ em: {RecommendationStatus(status).label}",
        extra={"recommendation": recommendation.pk},
    )  # fmt: skip
