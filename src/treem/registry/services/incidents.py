"""Injuries and accidents of children (`Incident`): recorded by whoever keeps the child's book (the commune officer,
or the collaborator of the child's village), audited, versioned. An incident that ended in death records the death
through `child_set_status` (cause: injury), which ends the child's residence, groups and risk flags that day."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from treem.accounts.models import User
from treem.audit.models import Action
from treem.audit.services import audit_record
from treem.core.dates import today_vn
from treem.core.errors import gettext_noop

from ..models import Child, ChildStatus, DeathCause, Incident, IncidentKind, IncidentOutcome, IncidentPlace, Supervision
from ._common import _save, check_can_edit
from .children import set_status


@transaction.atomic
def incident_record(
    *,
    actor: User,
    child: Child,
    kind: IncidentKind,
    occurred_on: dt.date,
    place: str,
    outcome: str,
    occurred_time: dt.time | None = None,
    activity: str = "",
    supervision: str = "",
    note: str = "",
    source: str = "",
    reason: str = "",
) -> Incident:
    """Record an injury or accident of a child. With the outcome "death" the child is recorded as deceased that day
    (cause: injury); a child whose death is already recorded cannot die again (a death counts once), except a death
    recorded earlier without a cause, which this incident explains (see `incident_problem`)."""
    check_can_edit(actor, child.village or child.commune)
    return _incident_create(
        actor=actor, child=child, kind=kind, occurred_on=occurred_on, place=place, outcome=outcome,
        occurred_time=occurred_time, activity=activity, supervision=supervision, note=note, source=source,
        reason=reason,
    )  # fmt: skip


DIED_BEFORE = gettext_noop("The child's death is recorded before this date.")
DIED_ALREADY = gettext_noop("The child's death is already recorded.")


def incident_problem(child: Child, occurred_on: dt.date, outcome: str) -> str | None:
    """Why an incident cannot be recorded for the child (a msgid, translated by the caller), or None: a date after
    the child's recorded death, or a second death (a death counts once; a death recorded earlier without a cause is
    explained by it)."""
    died = child.status == ChildStatus.DECEASED
    if died and child.status_date and occurred_on > child.status_date:
        return DIED_BEFORE
    explained = child.death_cause in (DeathCause.NONE, DeathCause.UNKNOWN)
    if outcome == IncidentOutcome.DEATH and died and not explained:
        return DIED_ALREADY
    return None


def _incident_create(
    *,
    actor: User | None,
    child: Child,
    kind: IncidentKind,
    occurred_on: dt.date,
    place: str,
    outcome: str,
    occurred_time: dt.time | None = None,
    activity: str = "",
    supervision: str = "",
    note: str = "",
    source: str = "",
    reason: str = "",
) -> Incident:
    if child.merged_into_id is not None:
        raise ValidationError(_("This record was merged into another one."))
    if occurred_on > today_vn():
        raise ValidationError({"occurred_on": _("The date is in the future.")})
    if child.date_of_birth and occurred_on < child.date_of_birth:
        raise ValidationError({"occurred_on": _("The date is before the child's date of birth.")})
    if place not in IncidentPlace.values:
        raise ValidationError({"place": _("Unknown place.")})
    if outcome not in IncidentOutcome.values:
        raise ValidationError({"outcome": _("Unknown outcome.")})
    if supervision not in Supervision.values:
        raise ValidationError({"supervision": _("Unknown answer.")})
    problem = incident_problem(child, occurred_on, outcome)
    if problem is not None:
        field = "outcome" if child.status_date is None or occurred_on <= child.status_date else "occurred_on"
        raise ValidationError({field: _(problem)})
    incident = Incident(
        child=child, kind=kind, occurred_on=occurred_on, occurred_time=occurred_time, place=place, outcome=outcome,
        activity=activity, supervision=supervision, note=note, source=source,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )  # fmt: skip
    incident.full_clean()
    _save(incident, actor, reason)
    if outcome == IncidentOutcome.DEATH:
        set_status(
            actor=actor, child=child, status=ChildStatus.DECEASED, on=occurred_on, death_cause=DeathCause.INJURY,
            note=kind.name_vi,
        )  # fmt: skip
    audit_record(
        actor=actor, action=Action.CREATE, target_type="incident", target_id=incident.pk, unit_path=child.unit_path,
        summary=f"Ghi nhận tai nạn, thương tích của trẻ #{child.pk}: {kind.name_vi}, {occurred_on:%d/%m/%Y}",
        extra={"child": child.pk, "kind": kind.code, "outcome": outcome},
    )  # fmt: skip
    return incident


@transaction.atomic
def incidents_import(
    *, actor: User | None, rows: list[tuple[Child, IncidentKind, dt.date, str, str]], reason: str
) -> tuple[int, int]:
    """The injuries of an imported list (child, kind, date, place, outcome). The caller (imports) has checked the
    actor may import into the children's commune, which gives the right to record them; the dry run refused rows
    `incident_problem` refuses. An injury the child already has (same date and kind) is not added again, so a list
    imported twice adds nothing. Returns (added, already there)."""
    added = kept = 0
    for child, kind, day, place, outcome in rows:
        if Incident.objects.filter(child=child, occurred_on=day, kind=kind).exists():
            kept += 1
            continue
        _incident_create(
            actor=actor, child=child, kind=kind, occurred_on=day, place=place, outcome=outcome, source=reason[:200],
            reason=reason,
        )  # fmt: skip
        added += 1
    return added, kept


EDITABLE = ("occurred_on", "occurred_time", "kind", "place", "outcome", "activity", "supervision", "note")


@transaction.atomic
def incident_update(*, actor: User, incident: Incident, **values: Any) -> Incident:
    """Correct an incident (a new version in its history, an audit row). The death an incident recorded is the
    child's status: its date and its outcome are corrected on the child's status page, not here; an incident cannot
    become a death either (record the death as an incident of its own, or on the status page)."""
    child = incident.child
    check_can_edit(actor, child.village or child.commune)
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    died = incident.outcome == IncidentOutcome.DEATH
    if died and (values.get("outcome", incident.outcome) != incident.outcome or
                 values.get("occurred_on", incident.occurred_on) != incident.occurred_on):  # fmt: skip
        raise ValidationError({"outcome": _("The death is corrected on the child's status page.")})
    if not died and values.get("outcome") == IncidentOutcome.DEATH:
        raise ValidationError({"outcome": _("Record the death as an injury of its own, or on the status page.")})
    for name, value in values.items():
        setattr(incident, name, value)
    day = incident.occurred_on
    if day > today_vn():
        raise ValidationError({"occurred_on": _("The date is in the future.")})
    if child.date_of_birth and day < child.date_of_birth:
        raise ValidationError({"occurred_on": _("The date is before the child's date of birth.")})
    if not died and child.status == ChildStatus.DECEASED and child.status_date and day > child.status_date:
        raise ValidationError({"occurred_on": _(DIED_BEFORE)})
    incident.full_clean()
    _save(incident, actor)
    audit_record(
        actor=actor, action=Action.CHANGE, target_type="incident", target_id=incident.pk, unit_path=child.unit_path,
        summary=f"Sửa tai nạn, thương tích của trẻ #{child.pk}: {incident.kind.name_vi}, {day:%d/%m/%Y}",
        extra={"child": child.pk, "fields": sorted(values)},
    )  # fmt: skip
    return incident
