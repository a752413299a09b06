"""Recording activities and their parts. Every write checks who may do it (`selectors.may_record`), runs in one
transaction and leaves an audit row in the same transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from treem.accounts.models import User
from treem.audit.models import Action
from treem.audit.services import audit_record
from treem.core.dates import today_vn
from treem.core.money import vnd
from treem.core.uploads import check_document
from treem.finance.models import MAX_AMOUNT, FundingSource
from treem.plans.models import Agency, Task
from treem.plans.selectors import tasks_for_user
from treem.registry.models import Child
from treem.registry.selectors import children_for_user
from treem.staff.models import Worker
from treem.staff.selectors import visible_workers
from treem.units.models import Unit

from .models import (
    Activity,
    ActivityType,
    CostLine,
    Decision,
    Evidence,
    Finding,
    ListedPerson,
    Material,
    MaterialKind,
    PeopleList,
)
from .selectors import may_edit, may_record

COUNTS = ("children_male", "children_female", "adults_male", "adults_female")


def _audit(actor: User, activity: Activity, summary: str, *, action: str = Action.CHANGE, **extra: Any) -> None:
    audit_record(
        actor=actor, action=action, target_type="activity", target_id=activity.pk, unit_path=activity.unit_path,
        summary=summary[:500], extra=extra or None,
    )  # fmt: skip


def _require_editor(actor: User, activity: Activity) -> None:
    if not may_edit(actor, activity):
        raise PermissionDenied


def _check(
    actor: User, *, unit: Unit, organiser: Agency | None, task: Task | None, starts_on: dt.date,
    ends_on: dt.date | None, counts: dict[str, int],
) -> None:  # fmt: skip
    if not may_record(actor, unit=unit, organiser=organiser):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if organiser is not None and not (
        unit.path.startswith(organiser.unit_path) or organiser.unit_path.startswith(unit.path)
    ):
        errors["organiser"] = _("The agency is not of this unit, above it or below it.")
    if task is not None and not tasks_for_user(actor).filter(pk=task.pk).exists():
        errors["task"] = _("This plan task is not one you can see.")
    if starts_on > today_vn():
        errors["starts_on"] = _("The date is in the future.")
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = _("The activity ends before it starts.")
    if any(v < 0 for v in counts.values()):
        errors["children_male"] = _("Counts cannot be negative.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def activity_create(
    *, actor: User, type: ActivityType, unit: Unit, title: str, starts_on: dt.date, ends_on: dt.date | None = None,
    organiser: Agency | None = None, task: Task | None = None, place: str = "", description: str = "",
    children_male: int = 0, children_female: int = 0, adults_male: int = 0, adults_female: int = 0,
) -> Activity:  # fmt: skip
    """Record an activity (a manager of the unit's scope, or a reporter of the organising agency)."""
    counts = dict(zip(COUNTS, (children_male, children_female, adults_male, adults_female), strict=True))
    _check(actor, unit=unit, organiser=organiser, task=task, starts_on=starts_on, ends_on=ends_on, counts=counts)
    if not title.strip():
        raise ValidationError({"title": _("Give the activity a title.")})
    activity = Activity.objects.create(
        type=type, unit=unit, title=title.strip(), starts_on=starts_on, ends_on=ends_on, organiser=organiser,
        task=task, place=place.strip(), description=description.strip(), created_by=actor, **counts,
    )  # fmt: skip
    _audit(actor, activity, f"Ghi hoạt động {type.name_vi}: {activity.title}", action=Action.CREATE)
    return activity


@transaction.atomic
def activity_update(*, actor: User, activity: Activity, **changes: Any) -> Activity:
    """Change the activity's fields (those given); the new values must again be the actor's to record."""
    _require_editor(actor, activity)
    allowed = {"type", "unit", "title", "starts_on", "ends_on", "organiser", "task", "place", "description", *COUNTS}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    values = {name: changes.get(name, getattr(activity, name)) for name in allowed}
    _check(
        actor, unit=values["unit"], organiser=values["organiser"], task=values["task"], starts_on=values["starts_on"],
        ends_on=values["ends_on"], counts={c: values[c] for c in COUNTS},
    )  # fmt: skip
    if not str(values["title"]).strip():
        raise ValidationError({"title": _("Give the activity a title.")})
    for name, value in changes.items():
        setattr(activity, name, value.strip() if isinstance(value, str) else value)
    activity.save()
    _audit(actor, activity, f"Sửa hoạt động: {activity.title}", fields=sorted(changes))
    return activity


# --- lists of people ------------------------------------------------------------------------------------------------


def trainees_for(user: User) -> QuerySet[Worker]:
    """The staff people a recorder may list as trainees: those of the roster in their scope (a reporter of a
    province agency: every commune's, who come to the agency's course)."""
    return visible_workers(user)


@transaction.atomic
def person_add(
    *, actor: User, activity: Activity, child: Child | None = None, worker: Worker | None = None
) -> ListedPerson:
    """List a club member (a registry child in the actor's scope) or a trainee (a staff person), as the type says."""
    _require_editor(actor, activity)
    kind = activity.type.people_list
    if (child is None) == (worker is None):
        raise ValueError("give a child or a worker")
    if child is not None:
        if kind != PeopleList.CLUB_MEMBERS:
            raise ValidationError(_("This type of activity has no list of club members."))
        if not children_for_user(actor).filter(pk=child.pk).exists():
            raise PermissionDenied
    if worker is not None:
        if kind != PeopleList.TRAINEES:
            raise ValidationError(_("This type of activity has no list of trainees."))
        if not (trainees_for(actor).filter(pk=worker.pk).exists() or worker.unit_path.startswith(activity.unit_path)):
            raise PermissionDenied
    person, created = ListedPerson.objects.get_or_create(
        activity=activity, child=child, worker=worker, defaults={"added_by": actor}
    )
    if created:
        who = f"trẻ em mã {child.pk}" if child else f"học viên {worker.full_name}"  # type: ignore[union-attr]
        _audit(actor, activity, f"Thêm {who} vào danh sách", child=child and child.pk, worker=worker and worker.pk)
    return person


@transaction.atomic
def person_remove(*, actor: User, person: ListedPerson) -> None:
    activity = person.activity
    _require_editor(actor, activity)
    if person.child_id is not None and not children_for_user(actor).filter(pk=person.child_id).exists():
        raise PermissionDenied
    child_id, worker_id = person.child_id, person.worker_id
    person.delete()
    _audit(actor, activity, "Bỏ một người khỏi danh sách", child=child_id, worker=worker_id)


# --- materials, findings, decisions ---------------------------------------------------------------------------------


@transaction.atomic
def material_add(*, actor: User, activity: Activity, kind: str, count: int, note: str = "") -> Material:
    _require_editor(actor, activity)
    if not activity.type.has_materials:
        raise ValidationError(_("This type of activity records no materials."))
    if kind not in MaterialKind.values:
        raise ValidationError({"kind": _("Unknown kind.")})
    if count <= 0:
        raise ValidationError({"count": _("Give a number above zero.")})
    material = Material.objects.create(activity=activity, kind=kind, count=count, note=note.strip())
    _audit(actor, activity, f"Thêm sản phẩm truyền thông: {count} {MaterialKind(kind).label}")
    return material


@transaction.atomic
def finding_add(
    *, actor: User, activity: Activity, text: str, follow_up: str = "", responsible: str = "",
    due_on: dt.date | None = None,
) -> Finding:  # fmt: skip
    _require_editor(actor, activity)
    if not activity.type.has_findings:
        raise ValidationError(_("This type of activity records no findings."))
    if not text.strip():
        raise ValidationError({"text": _("Write the finding.")})
    finding = Finding.objects.create(
        activity=activity, text=text.strip(), follow_up=follow_up.strip(), responsible=responsible.strip(),
        due_on=due_on,
    )  # fmt: skip
    _audit(actor, activity, "Ghi kết quả kiểm tra, kiến nghị", finding=finding.pk)
    return finding


@transaction.atomic
def finding_done(*, actor: User, finding: Finding, done_on: dt.date) -> Finding:
    _require_editor(actor, finding.activity)
    if done_on > today_vn():
        raise ValidationError({"done_on": _("The date is in the future.")})
    finding.done_on = done_on
    finding.save(update_fields=["done_on"])
    _audit(actor, finding.activity, f"Kiến nghị đã được khắc phục ngày {done_on:%d/%m/%Y}", finding=finding.pk)
    return finding


@transaction.atomic
def decision_add(
    *, actor: User, activity: Activity, text: str, responsible: str = "", due_on: dt.date | None = None
) -> Decision:
    _require_editor(actor, activity)
    if not activity.type.has_decisions:
        raise ValidationError(_("This type of activity records no decisions."))
    if not text.strip():
        raise ValidationError({"text": _("Write the decision.")})
    decision = Decision.objects.create(
        activity=activity, text=text.strip(), responsible=responsible.strip(), due_on=due_on
    )
    _audit(actor, activity, "Ghi kết luận của cuộc họp", decision=decision.pk)
    return decision


# --- cost -----------------------------------------------------------------------------------------------------------


@transaction.atomic
def cost_add(*, actor: User, activity: Activity, source: FundingSource, amount: int, note: str = "") -> CostLine:
    """A part of the activity's cost paid from one funding source (VND). The finance ledger reads these lines: the
    figure is entered here only."""
    _require_editor(actor, activity)
    if not 0 < amount <= MAX_AMOUNT:
        raise ValidationError({"amount": _("Give an amount above zero (and below a thousand billion đồng).")})
    line = CostLine.objects.create(activity=activity, source=source, amount=amount, note=note.strip())
    _audit(actor, activity, f"Ghi kinh phí {vnd(amount)} đồng từ nguồn {source}", cost=line.pk)
    return line


@transaction.atomic
def cost_remove(*, actor: User, line: CostLine) -> None:
    activity = line.activity
    _require_editor(actor, activity)
    amount = line.amount
    line.delete()
    _audit(actor, activity, f"Bỏ dòng kinh phí {vnd(amount)} đồng")


# --- evidence -------------------------------------------------------------------------------------------------------


@transaction.atomic
def evidence_add(*, actor: User, activity: Activity, upload: UploadedFile) -> Evidence:
    _require_editor(actor, activity)
    name = check_document(upload)
    evidence = Evidence.objects.create(activity=activity, file=upload, name=name, uploaded_by=actor)
    _audit(actor, activity, f"Đính kèm minh chứng: {name}", evidence=evidence.pk)
    return evidence
