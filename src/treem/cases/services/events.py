"""The case's events: services, referrals, separations and their extensions (NĐ 56 Art. 32.3), placements,
follow-ups, court petitions, notes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from treem.accounts.models import User
from treem.audit.models import Action
from treem.core.dates import date_vn

from .. import clocks
from ..calendar import end_of_day, iso_date
from ..models import (
    Case,
    CaseEvent,
    EventKind,
)
from .common import audit_case
from .decisions import check_event_actor

# Written only by their own services (not through `case_add_event`).
SERVICE_ONLY_KINDS = (EventKind.TRANSITION, EventKind.ASSIGNMENT, EventKind.TRANSFER, EventKind.CLOSURE_REFUSED)


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
    audit_case(actor, case, Action.CHANGE, f"{EventKind(kind).label}", request)
    return event
