"""Who holds and works on a case: the workers assigned, and the transfer to the commune where the child now lives
(Luật Trẻ em Art. 52.2)."""

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
from treem.units.models import Level, Unit

from ..access import on_case_team
from ..models import (
    Case,
    CaseEvent,
    CaseTransfer,
    EventKind,
    Notification,
)
from .common import audit_case


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
    audit_case(actor, case, Action.CHANGE, f"Phân công {worker.get_full_name() or worker.username}", request)


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
    audit_case(actor, case, Action.CHANGE, summary, request, transfer=transfer.pk, from_path=source.path)
    return transfer
