"""The legal outcome of abuse cases, the list of abuse cases left without one, and the 111 helpline's feedback.

- `outcome_record`: a dated row of what the authorities did (administrative sanction with its decision, decree and
  fine; criminal prosecution at a stage; no violation found). Rows are never edited: a later stage is a new row,
  so the case keeps its history. Recorded by the case team (`access.on_case_team`), audited in the same transaction.
- `unresolved_q`: abuse cases received more than `settings.TREEM_UNRESOLVED_ABUSE_DAYS` days ago (default 90) with no
  outcome row yet (the seeds' "không để tồn đọng"). The home inbox counts them, the dashboard lists them
  (`?unresolved=1`), `notifications.notify_unresolved` sends the notice once per case.
- `helpline_feedback_record`: once the case is closed, when, who and how the 111 helpline was told how it ended.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from treem.audit.models import Action
from treem.audit.services import audit_record
from treem.core.dates import date_vn, today_vn

from .access import on_case_team
from .models import Case, Category, Channel, CriminalStage, FeedbackMeans, LegalOutcome, OutcomeKind, Status

MAX_FINE = 10**10  # VND: the largest administrative fine is far below


def unresolved_days() -> int:
    return int(getattr(settings, "TREEM_UNRESOLVED_ABUSE_DAYS", 90))


def unresolved_q(now: dt.datetime | None = None) -> Q:
    """Abuse cases received more than N days before `now` with no legal outcome recorded."""
    now = now or timezone.now()
    has_outcome = Exists(LegalOutcome.objects.filter(case=OuterRef("pk")))
    return Q(category=Category.ABUSED, intake_at__lt=now - dt.timedelta(days=unresolved_days())) & ~Q(has_outcome)


def _audit(actor: Any, case: Case, action: str, summary: str, request: Any, **extra: Any) -> None:
    audit_record(
        actor=actor, action=action, target_type="case", target_id=case.pk, unit_path=case.unit_path,
        summary=summary, request=request, extra=extra,
    )  # fmt: skip


@transaction.atomic
def outcome_record(
    *,
    actor: Any,
    case: Case,
    kind: str,
    decided_on: dt.date,
    stage: str = "",
    authority: str = "",
    decree: str = "",
    amount: int | None = None,
    note: str = "",
    request: Any = None,
) -> LegalOutcome:
    """Add a dated step of the authorities' handling of an abuse case (a new row: the earlier ones stay)."""
    if not on_case_team(actor, case):
        raise PermissionDenied(_("Only the case's workers and the commune chairman record its legal outcome."))
    errors: dict[str, str] = {}
    if case.category != Category.ABUSED:
        raise ValidationError(_("A legal outcome is recorded on an abuse case."))
    if kind not in OutcomeKind.values:
        errors["kind"] = _("Choose how the authorities handled the case.")
    if kind == OutcomeKind.CRIMINAL and stage not in CriminalStage.values:
        errors["stage"] = _("Choose the stage of the criminal proceedings.")
    if kind != OutcomeKind.CRIMINAL:
        stage = ""
    if kind == OutcomeKind.ADMINISTRATIVE and not decree.strip():
        errors["decree"] = _("Write the sanction decision and the decree applied.")
    if kind != OutcomeKind.ADMINISTRATIVE:
        amount = None
    elif amount is not None and not 0 < amount <= MAX_FINE:
        errors["amount"] = _("Enter the fine in đồng, more than 0.")
    if decided_on > today_vn():
        errors["decided_on"] = _("The date is in the future.")
    elif decided_on < date_vn(case.intake_at):
        errors["decided_on"] = _("The date is before the case was received.")
    if errors:
        raise ValidationError(errors)
    outcome = LegalOutcome.objects.create(
        case=case, unit_path=case.unit_path, kind=kind, stage=stage, decided_on=decided_on,
        authority=authority.strip()[:200], decree=decree.strip()[:200], amount=amount, note=note.strip()[:500],
        by=actor,
    )  # fmt: skip
    _audit(
        actor, case, Action.CREATE, f"Ghi kết quả xử lý vụ việc {case.code}: {_vi_label(outcome)}", request,
        outcome=outcome.pk, kind=kind, stage=stage, decided_on=decided_on.isoformat(), amount=amount,
    )  # fmt: skip
    return outcome


def _vi_label(outcome: LegalOutcome) -> str:
    with translation.override("vi"):
        return outcome.label


def outcomes_of(case: Case) -> list[LegalOutcome]:
    """The case's outcome rows, oldest first (read with the case, which the caller fetched audited)."""
    return list(case.legal_outcomes.select_related("by").order_by("decided_on", "pk"))


def needs_helpline_feedback(case: Case) -> bool:
    """A closed case the 111 helpline passed on (its channel, or a reference recorded) and not yet answered."""
    from_helpline = case.channel == Channel.HOTLINE_111 or bool(case.helpline_ref)
    return case.status == Status.CLOSED and from_helpline and case.helpline_feedback_on is None


@transaction.atomic
def helpline_feedback_record(
    *, actor: Any, case: Case, on: dt.date, how: str, note: str = "", request: Any = None
) -> Case:
    """The commune told the 111 helpline how the case ended: when, who (the actor), how. Once the case is closed."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not on_case_team(actor, case):
        raise PermissionDenied(_("Only the case's workers and the commune chairman give feedback to the helpline."))
    if case.status != Status.CLOSED:
        raise ValidationError(_("Feedback to the helpline is given once the case is closed."))
    errors: dict[str, str] = {}
    if how not in FeedbackMeans.values:
        errors["how"] = _("Choose how the helpline was told.")
    if on > today_vn():
        errors["on"] = _("The date is in the future.")
    elif case.closed_at and on < date_vn(case.closed_at):
        errors["on"] = _("The date is before the case was closed.")
    if errors:
        raise ValidationError(errors)
    case.helpline_feedback_on, case.helpline_feedback_by, case.helpline_feedback_how = on, actor, how
    case.helpline_feedback_note = note.strip()[:500]
    case.save(update_fields=[
        "helpline_feedback_on", "helpline_feedback_by", "helpline_feedback_how", "helpline_feedback_note"
    ])  # fmt: skip
    _audit(
        actor, case, Action.CHANGE, f"Phản hồi Tổng đài 111 về vụ việc {case.code} ({on:%d/%m/%Y})", request,
        how=how, ref=case.helpline_ref,
    )  # fmt: skip
    return case
