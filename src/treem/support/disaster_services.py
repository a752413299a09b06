"""Writes of disasters and epidemics: declare an event on places, propose the children who lived there during it,
review them (affected with their needs / not affected with the reason / added by hand), and open a relief round
whose list is the event's affected children (its deliveries are the support they received).

Every write: keyword-only, one transaction, its audit row in it (`support_disaster`), at the event's unit path.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from treem.accounts.models import User
from treem.accounts.scope import unit_in_scope
from treem.audit.models import Action
from treem.audit.services import audit_record
from treem.core.dates import today_vn
from treem.registry.models import Child
from treem.units.models import Level, Unit

from . import disaster_selectors as ds
from .models import AffectedChild, AffectedStatus, Disaster, DisasterKind, NeedKind

DECLARING_LEVELS = (Level.COMMUNE, Level.DISTRICT, Level.PROVINCE)
PLACE_LEVELS = (Level.COMMUNE, Level.VILLAGE)


def _check(actor: User, unit: Unit) -> None:
    if not (ds.MANAGE_DISASTERS.allows(actor) and unit_in_scope(actor, unit)):
        raise PermissionDenied(_("You may not manage disasters and epidemics for this unit."))


def _audit(actor: User, action: str, disaster: Disaster, summary: str, **extra: object) -> None:
    audit_record(
        actor=actor, action=action, target_type="support_disaster", target_id=disaster.pk,
        unit_path=disaster.unit_path, summary=summary, extra={"kind": disaster.kind.code, **extra},
    )  # fmt: skip


@transaction.atomic
def disaster_declare(
    *, actor: User, kind: DisasterKind, unit: Unit, places: list[Unit], started_on: dt.date,
    ended_on: dt.date | None = None, name: str = "", description: str = "",
) -> Disaster:  # fmt: skip
    """A commune or province declares an event on some of its communes and villages, with its dates."""
    _check(actor, unit)
    errors: dict[str, str] = {}
    if unit.level not in DECLARING_LEVELS:
        errors["unit"] = _("A disaster is declared by a commune or a province.")
    if not places:
        errors["places"] = _("Choose the villages or communes hit.")
    elif any(p.level not in PLACE_LEVELS or not p.path.startswith(unit.path) for p in places):
        errors["places"] = _("The places hit must be communes or villages of %(unit)s.") % {"unit": unit.name}
    if started_on > today_vn():
        errors["started_on"] = _("The date cannot be in the future.")
    if ended_on is not None and ended_on < started_on:
        errors["ended_on"] = _("The end date is before the start date.")
    if errors:
        raise ValidationError(errors)
    disaster = Disaster.objects.create(
        kind=kind, unit=unit, unit_path=unit.path, started_on=started_on, ended_on=ended_on, declared_by=actor,
        name=(name.strip() or f"{kind.name_vi} – {unit.name} – {started_on:%d/%m/%Y}")[:200],
        description=description.strip()[:2000],
    )  # fmt: skip
    disaster.places.set(places)
    _audit(
        actor, Action.CREATE, disaster, f"Khai báo thiên tai, dịch bệnh: {disaster.name}",
        places=[p.code or p.name for p in places], started_on=started_on.isoformat(),
        ended_on=ended_on.isoformat() if ended_on else None,
    )  # fmt: skip
    return disaster


@transaction.atomic
def disaster_end(*, actor: User, disaster: Disaster, ended_on: dt.date) -> Disaster:
    """Record the event's last day (it was going on)."""
    disaster = Disaster.objects.select_for_update().select_related("kind", "unit").get(pk=disaster.pk)
    _check(actor, disaster.unit)
    if ended_on < disaster.started_on:
        raise ValidationError({"ended_on": _("The end date is before the start date.")})
    disaster.ended_on = ended_on
    disaster.save(update_fields=["ended_on"])
    _audit(actor, Action.CHANGE, disaster, f"Kết thúc thiên tai, dịch bệnh ngày {ended_on:%d/%m/%Y}")
    return disaster


@dataclass(frozen=True, slots=True)
class Proposed:
    added: int
    removed: int
    kept: int  # rows a person decided on (reviewed, added by hand) that proposing again leaves alone


@transaction.atomic
def affected_propose(*, actor: User, disaster: Disaster) -> Proposed:
    """(Re)propose the children who lived in the places hit during the event. Rows nobody reviewed yet are replaced;
    reviewed rows and rows added by hand stay."""
    disaster = Disaster.objects.select_for_update().select_related("kind", "unit").get(pk=disaster.pk)
    _check(actor, disaster.unit)
    stale = disaster.affected.filter(status=AffectedStatus.PROPOSED, manual=False)
    removed = stale.count()
    stale.delete()
    kept = set(disaster.affected.values_list("child_id", flat=True))
    rows = [
        AffectedChild(
            disaster=disaster,
            child_id=child_id,
            commune_id=p.commune_id,
            village_id=p.village_id,
            unit_path=p.unit_path,
            added_by=actor,
        )  # fmt: skip
        for child_id, p in ds.candidates(disaster).items()
        if child_id not in kept
    ]
    AffectedChild.objects.bulk_create(rows)
    disaster.proposed_at = timezone.now()
    disaster.save(update_fields=["proposed_at"])
    result = Proposed(len(rows), removed, len(kept))
    _audit(
        actor, Action.CHANGE, disaster, f"Đề xuất trẻ bị ảnh hưởng: {result.added} trẻ", added=result.added,
        removed=result.removed, kept=result.kept,
    )  # fmt: skip
    return result


def _locked(row: AffectedChild) -> AffectedChild:
    return (
        AffectedChild.objects.select_for_update()
        .select_related("disaster__kind", "disaster__unit", "commune", "child")
        .get(pk=row.pk)
    )


@transaction.atomic
def affected_review(
    *, actor: User, row: AffectedChild, status: str, reason: str = "", needs: list[NeedKind] | None = None,
    note: str = "",
) -> AffectedChild:  # fmt: skip
    """Confirm a child affected (with the child's needs), or mark not affected (saying why), or put back as proposed.
    The child's place must be in the actor's scope (a commune reviews its own children of a province's event)."""
    row = _locked(row)
    _check(actor, row.commune)
    if status not in AffectedStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    reason = reason.strip()[:300]
    if status == AffectedStatus.NOT_AFFECTED and not reason:
        raise ValidationError({"reason": _("Say why the child was not affected.")})
    if status != AffectedStatus.NOT_AFFECTED and not row.manual:
        reason = ""
    elif row.manual and status != AffectedStatus.NOT_AFFECTED:
        reason = row.reason  # the reason it was added by hand stays
    row.status, row.reason, row.note = status, reason, note.strip()[:300]
    row.reviewed_by, row.reviewed_at = actor, timezone.now()
    row.save(update_fields=["status", "reason", "note", "reviewed_by", "reviewed_at", "updated_at"])
    if needs is not None:
        row.needs.set(needs if status == AffectedStatus.CONFIRMED else [])
    _audit(
        actor, Action.CHANGE, row.disaster, f"Rà soát trẻ bị ảnh hưởng: trẻ #{row.child_id} – {status}",
        child=row.child_id, status=status, reason=reason, needs=[n.code for n in needs or []],
    )  # fmt: skip
    return row


@transaction.atomic
def affected_add(
    *, actor: User, disaster: Disaster, child: Child, reason: str, needs: list[NeedKind] | None = None
) -> AffectedChild:
    """Add an affected child by hand, saying why (a child staying there whose residence the registry does not hold in
    the places hit). The child must have lived in the event's declaring unit during it."""
    disaster = Disaster.objects.select_for_update().select_related("kind", "unit").get(pk=disaster.pk)
    reason = reason.strip()[:300]
    if not reason:
        raise ValidationError({"reason": _("Say why the child is added.")})
    place = ds.place_of(disaster, child.pk) if child.merged_into_id is None else None
    if place is None:
        raise ValidationError(_("The child did not live in %(unit)s during the event.") % {"unit": disaster.unit.name})
    commune = Unit.objects.get(pk=place.commune_id)
    _check(actor, commune)
    if disaster.affected.filter(child=child).exists():
        raise ValidationError(_("This child is already on the event's list."))
    row = AffectedChild(
        disaster=disaster, child=child, commune=commune, village_id=place.village_id, unit_path=place.unit_path,
        status=AffectedStatus.CONFIRMED, reason=reason, manual=True, added_by=actor, reviewed_by=actor,
        reviewed_at=timezone.now(),
    )  # fmt: skip
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:  # added at the same moment by someone else
        raise ValidationError(_("This child is already on the event's list.")) from exc
    if needs:
        row.needs.set(needs)
    _audit(
        actor, Action.CHANGE, disaster, f"Thêm trẻ bị ảnh hưởng: trẻ #{child.pk}", child=child.pk, reason=reason,
        needs=[n.code for n in needs or []],
    )  # fmt: skip
    return row
