"""Legal clocks notify the case's supervisor (the commune chairman) and its workers, once each: "due soon" when the
rule's warning time has come (e.g. 8 hours into the 12), "overdue" after. Follow-ups of a placement are watched after
the case is closed (NĐ 56 Art. 43.2)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from treem.accounts import capabilities as cap
from treem.accounts.models import User
from treem.units.models import PATH_SEP

from .models import AbuseForm, Case, Category, Deadline, Notification, RapidReportRule
from .outcomes import unresolved_days, unresolved_q
from .selectors import due_soon_deadlines, overdue_deadlines


@dataclass(frozen=True)
class NotifyResult:
    overdue_cases: int
    notices_sent: int
    due_soon: int = 0  # deadlines warned of in this run


def supervisors_of(deadline: Deadline) -> list[User]:
    case = deadline.case
    chairmen = [
        u for u in User.objects.filter(unit=case.commune, is_active=True).select_related("role")
        if u.has_capability(cap.CASES_APPROVE)
    ]  # fmt: skip
    return list({u.pk: u for u in [*chairmen, *case.workers.filter(is_active=True)]}.values())


def notify_overdue(now: dt.datetime | None = None) -> NotifyResult:
    """Claim each overdue deadline with a conditional UPDATE (safe with several workers), then write notices."""
    now = now or timezone.now()
    warned, sent = _notify_due_soon(now)
    overdue = overdue_deadlines(now)
    cases = overdue.values("case").distinct().count()
    for deadline in overdue.filter(notified_at__isnull=True).select_related("case", "case__commune", "rule"):
        with transaction.atomic():
            if not Deadline.objects.filter(pk=deadline.pk, notified_at__isnull=True).update(notified_at=now):
                continue  # another worker took it
            late = deadline.due_at.astimezone(timezone.get_current_timezone())
            message = f"Quá hạn: {deadline.rule.name_vi} — vụ việc {deadline.case.code} (hạn {late:%H:%M %d/%m/%Y})"
            notices = [
                Notification(recipient=user, case=deadline.case, deadline=deadline, message=message[:500])
                for user in supervisors_of(deadline)
            ]
            Notification.objects.bulk_create(notices, ignore_conflicts=True)
            sent += len(notices)
    return NotifyResult(cases, sent, warned)


def _notify_due_soon(now: dt.datetime) -> tuple[int, int]:
    """The warning before a clock runs out, claimed like the overdue notice (one per deadline)."""
    warned = sent = 0
    for deadline in (
        due_soon_deadlines(now).filter(warned_at__isnull=True).select_related("case", "case__commune", "rule")
    ):
        with transaction.atomic():
            if not Deadline.objects.filter(pk=deadline.pk, warned_at__isnull=True).update(warned_at=now):
                continue
            due = deadline.due_at.astimezone(timezone.get_current_timezone())
            message = f"Sắp đến hạn: {deadline.rule.name_vi} — vụ việc {deadline.case.code} (hạn {due:%H:%M %d/%m/%Y})"
            notices = [
                Notification(
                    recipient=user, case=deadline.case, deadline=deadline, message=message[:500],
                    kind=Notification.Kind.DUE_SOON,
                )
                for user in supervisors_of(deadline)
            ]  # fmt: skip
            Notification.objects.bulk_create(notices, ignore_conflicts=True)
            warned += 1
            sent += len(notices)
    return warned, sent


# --- abuse cases left without a legal outcome ----------------------------------------------------------------


def unresolved_recipients(case: Case) -> list[User]:
    """The case's workers and the commune chairman (the commune's inbox), and the supervisors of the province
    above it (`cases.supervise` in a unit whose path holds the case's)."""
    above = [case.unit_path[: i + 1] for i, ch in enumerate(case.unit_path) if ch == PATH_SEP]
    users = User.objects.filter(is_active=True).filter(unit=case.commune) | User.objects.filter(
        is_active=True, unit__path__in=above
    )
    people = [
        u for u in users.select_related("role", "unit")
        if (u.unit_id == case.commune_id and u.has_capability(cap.CASES_APPROVE))
        or (u.unit_id != case.commune_id and u.has_capability(cap.CASES_SUPERVISE))
    ]  # fmt: skip
    return list({u.pk: u for u in [*people, *case.workers.filter(is_active=True)]}.values())


@dataclass(frozen=True)
class UnresolvedResult:
    unresolved_cases: int
    notices_sent: int


def notify_unresolved(now: dt.datetime | None = None) -> UnresolvedResult:
    """Abuse cases without a legal outcome N days after intake: claim each case once with a conditional UPDATE (safe
    with several workers), then write the notices."""
    now = now or timezone.now()
    unresolved = Case.objects.filter(unresolved_q(now))
    sent = 0
    for case in unresolved.filter(unresolved_notified_at__isnull=True).select_related("commune"):
        with transaction.atomic():
            if not Case.objects.filter(pk=case.pk, unresolved_notified_at__isnull=True).update(
                unresolved_notified_at=now
            ):
                continue  # another worker took it
            message = (
                f"Tồn đọng: vụ việc xâm hại {case.code} chưa có kết quả xử lý sau {unresolved_days()} ngày "
                f"(tiếp nhận {timezone.localtime(case.intake_at):%d/%m/%Y})"
            )
            notices = [
                Notification(recipient=user, case=case, message=message[:500], kind=Notification.Kind.UNRESOLVED)
                for user in unresolved_recipients(case)
            ]
            Notification.objects.bulk_create(notices, ignore_conflicts=True)
            sent += len(notices)
    return UnresolvedResult(unresolved.count(), sent)


# --- rapid reports (báo cáo nhanh) to the province -------------------------------------------------------------

# Used when no rule is stored at all: what the rule with an empty province code says after the migrations.
DEFAULT_RAPID_RULE = RapidReportRule(
    province_code="", categories=[Category.ABUSED], abuse_forms=[AbuseForm.SEXUAL_ABUSE, AbuseForm.TRAFFICKING],
    on_serious=True, on_danger=False,
)  # fmt: skip


def province_code_of(case: Case) -> str:
    """The official code of the case's province: the first code after the structure in the commune's path."""
    parts = case.unit_path.split(PATH_SEP)
    return parts[1] if len(parts) > 2 else ""


def rapid_rule_for(case: Case) -> RapidReportRule:
    """The province's own rule, else the default one (empty code), else the built-in default."""
    rules = {r.province_code: r for r in RapidReportRule.objects.filter(province_code__in=[province_code_of(case), ""])}
    return rules.get(province_code_of(case)) or rules.get("") or DEFAULT_RAPID_RULE


def needs_rapid_report(case: Case) -> bool:
    return rapid_rule_for(case).applies_to(case)
