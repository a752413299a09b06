"""The rapid report (báo cáo nhanh) of a new case to the province: no name, no identifying detail. And what the
people told do with what they were told: a notice marked read, a rapid report acknowledged."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from treem.accounts.models import User
from treem.audit.models import Action
from treem.audit.services import audit_record
from treem.units.models import Level

from ..models import (
    AbuseForm,
    Case,
    Notification,
    RapidAlert,
)

# The rapid report's age groups (upper limit, label); 16–17 is a young person (Luật Trẻ em Art. 1), not a child.
RAPID_AGE_BANDS = ((6, "dưới 6 tuổi"), (11, "6–10 tuổi"), (16, "11–15 tuổi"), (200, "từ 16 đến dưới 18 tuổi"))


def rapid_alert(case: Case) -> None:
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


def notification_mark_read(*, actor: User, notification: Notification) -> Notification:
    """The recipient has seen the notice: it leaves their inbox and their badge. A notice is the recipient's own
    (its case's clocks and audit trail are unchanged), so no audit row."""
    if notification.recipient_id != actor.pk:
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def notifications_mark_all_read(*, actor: User) -> int:
    """Every unread notice of the actor marked read; how many."""
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def rapid_alert_acknowledge(*, actor: User, alert: RapidAlert, request: Any = None) -> RapidAlert:
    """The province has taken note of a rapid report (once; later calls change nothing). Audited: who took note of a
    serious case, and when, is part of the case's record. The caller checks the actor supervises the province."""
    alert = RapidAlert.objects.select_for_update().get(pk=alert.pk)
    if alert.acknowledged_at is not None:
        return alert
    alert.acknowledged_at = timezone.now()
    alert.save(update_fields=["acknowledged_at"])
    audit_record(
        actor=actor, action=Action.CHANGE, target_type="case", target_id=alert.case_id, unit_path=alert.unit_path,
        summary="Đã tiếp nhận báo cáo nhanh", request=request, extra={"rapid_alert": alert.pk},
    )  # fmt: skip
    return alert
