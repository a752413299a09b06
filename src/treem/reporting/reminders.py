"""Deadlines that reach people: a reminder N working days before a unit's deadline (N per cycle, as data) and a
notice once it is missed, to the unit's users who submit reports (the missed notice to the reviewers above as well),
by e-mail where they have an address and a mail server is configured (`settings.MAILERS`: SMTP, or the console in the
demo). Each
notice is sent once: a `ReportNotice` row per (cycle, unit, kind) records it."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from treem.accounts import capabilities as cap
from treem.accounts.models import User
from treem.audit.models import Action
from treem.audit.services import audit_record
from treem.cases.calendar import WorkCalendar
from treem.core.dates import format_vn, today_vn
from treem.units.models import Unit

from .models import Cycle, NoticeKind, Report, ReportNotice

logger = logging.getLogger(__name__)


def reminder_starts(deadline: dt.date, working_days: int, calendar: WorkCalendar | None = None) -> dt.date:
    """The day `working_days` working days before the deadline (Vietnamese weekends and public holidays skipped)."""
    return (calendar or WorkCalendar()).working_days_before(deadline, working_days)


@dataclass(frozen=True, slots=True)
class Sent:
    notice: ReportNotice
    recipients: list[str]


def _users_with(unit_ids: list[int], capability: str) -> list[User]:
    users = User.objects.filter(unit_id__in=unit_ids, is_active=True).select_related("role")
    return [u for u in users if u.has_capability(capability)]


def _message(kind: str, cycle: Cycle, unit: Unit, deadline: dt.date) -> tuple[str, str]:
    values = {"report": cycle.report_type.name, "code": cycle.code, "unit": unit.name, "date": format_vn(deadline)}
    if kind == NoticeKind.REMINDER:
        subject = _("Reminder: %(report)s %(code)s is due on %(date)s") % values
        body = _("The report %(report)s (%(code)s) of %(unit)s is due on %(date)s and has not been submitted yet.")
    else:
        subject = _("Missed: %(report)s %(code)s was due on %(date)s") % values
        body = _("The report %(report)s (%(code)s) of %(unit)s was due on %(date)s and has not been submitted.")
    return subject, body % values


def _send(kind: str, cycle: Cycle, unit: Unit, deadline: dt.date) -> Sent | None:
    """Record the notice (once: None when it was already sent) and e-mail it."""
    recipients = _users_with([unit.pk], cap.REPORTS_SUBMIT)
    if kind == NoticeKind.MISSED and unit.parent_id:
        recipients += _users_with([unit.parent_id], cap.REPORTS_REVIEW)
    addresses = sorted({u.email for u in recipients if u.email})
    try:
        with transaction.atomic():
            notice = ReportNotice.objects.create(
                cycle=cycle, unit=unit, unit_path=unit.path, kind=kind, deadline=deadline, sent_at=timezone.now(),
                emailed_to=addresses,
            )  # fmt: skip
            audit_record(
                actor=None, action=Action.NOTIFY, target_type="reportnotice", target_id=notice.pk,
                unit_path=unit.path, summary=f"Nhắc hạn báo cáo {cycle.code} ({kind}) cho {unit.name}",
                extra={"cycle": cycle.code, "kind": kind, "deadline": deadline.isoformat(), "to": addresses},
            )  # fmt: skip
    except IntegrityError:  # sent before (or by a concurrent run)
        return None
    if addresses and getattr(settings, "MAILERS", None):  # no mail server configured: the notice stays in the inbox
        with override(settings.LANGUAGE_CODE):
            subject, body = _message(kind, cycle, unit, deadline)
        try:
            send_mail(subject, body, None, addresses)
        except (OSError, smtplib.SMTPException):  # recorded and in the inbox: a mail server down loses no notice
            logger.exception("report notice %s: e-mail not sent", notice.pk)
    return Sent(notice, addresses)


def remind(*, today: dt.date | None = None) -> list[Sent]:
    """Every reminder and missed-deadline notice due today in the open cycles, each sent once."""
    today = today or today_vn()
    calendar = WorkCalendar()
    sent: list[Sent] = []
    for cycle in Cycle.objects.filter(is_open=True).select_related("report_type"):
        submitted = set(
            Report.objects.filter(cycle=cycle, first_submitted_at__isnull=False).values_list("unit_id", flat=True)
        )
        done = set(ReportNotice.objects.filter(cycle=cycle).values_list("unit_id", "kind"))
        for level in cycle.levels():
            deadline = cycle.deadline_for(level)
            if deadline is None:
                continue
            if today > deadline:
                kind = NoticeKind.MISSED
            elif today >= reminder_starts(deadline, cycle.reminder_days, calendar):
                kind = NoticeKind.REMINDER
            else:
                continue
            staffed = User.objects.filter(is_active=True, unit__isnull=False).values("unit_id")
            units = Unit.objects.filter(level=level, structure=cycle.structure, is_active=True, pk__in=staffed)
            units = units.exclude(pk__in=submitted)
            for unit in units.order_by("path"):
                if (unit.pk, kind) in done:
                    continue
                result = _send(kind, cycle, unit, deadline)
                if result is not None:
                    sent.append(result)
    return sent
