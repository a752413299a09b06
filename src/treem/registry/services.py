"""Writes to the registry. Every write goes through here: it keeps paths, search text and history right."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from treem.accounts import capabilities as cap
from treem.accounts.scope import unit_in_scope
from treem.core.text import fold
from treem.units.models import Level, Unit

from .models import (
    Child,
    ChildStatus,
    Circumstance,
    CircumstanceSubtype,
    CircumstanceType,
    Guardianship,
    Household,
    HouseholdPoverty,
    Person,
)


def check_can_edit(user: Any, unit: Unit) -> None:
    """Raise PermissionDenied unless the user may edit registry records of `unit` (and below)."""
    if not (user.has_capability(cap.REGISTRY_EDIT) and unit_in_scope(user, unit)):
        raise PermissionDenied(_("You may not edit the registry of this unit."))


def can_edit(user: Any, unit: Unit) -> bool:
    try:
        check_can_edit(user, unit)
    except PermissionDenied:
        return False
    return True


def _place(commune: Unit, village: Unit | None) -> str:
    if commune.level != Level.COMMUNE:
        raise ValidationError({"commune": _("Choose a commune or ward.")})
    if village is not None:
        if village.parent_id != commune.pk:
            raise ValidationError({"village": _("The village does not belong to this commune.")})
        return village.path
    return commune.path


def _save(obj: Any, actor: Any, **kwargs: Any) -> None:
    obj._history_user = actor if getattr(actor, "is_authenticated", False) else None
    obj.save(**kwargs)


def child_search_text(child: Child, guardian_names: list[str] | None = None) -> str:
    """Folded words of the child's name, guardians' names and ID, each after a space (word-prefix search)."""
    if guardian_names is None:
        guardian_names = list(child.guardianships.values_list("person__full_name", flat=True)) if child.pk else []
    parts = [child.full_name, *guardian_names, child.household.head_name if child.household_id else ""]
    words = fold(" ".join(parts)).split()
    if child.personal_id:
        words.append(child.personal_id)
    return (" " + " ".join(dict.fromkeys(words)))[:600]


def _refresh_search(child: Child) -> None:
    Child.objects.filter(pk=child.pk).update(search_text=child_search_text(child))


# --- households --------------------------------------------------------------------------------------------


@transaction.atomic
def household_create(
    *,
    actor: Any,
    commune: Unit,
    village: Unit | None = None,
    head_name: str = "",
    address: str = "",
    code: str = "",
    phone: str = "",
    note: str = "",
) -> Household:
    check_can_edit(actor, village or commune)
    household = Household(
        commune=commune, village=village, unit_path=_place(commune, village), head_name=head_name,
        address=address, code=code, phone=phone, note=note,
    )  # fmt: skip
    household.full_clean(exclude=["unit_path", "head"])
    _save(household, actor)
    return household


@transaction.atomic
def household_update(*, actor: Any, household: Household, **values: Any) -> Household:
    check_can_edit(actor, household.village or household.commune)
    for name, value in values.items():
        setattr(household, name, value)
    household.full_clean(exclude=["unit_path", "head"])
    _save(household, actor)
    if "head_name" in values:
        for child in household.children.all():
            _refresh_search(child)
    return household


@transaction.atomic
def household_move(*, actor: Any, household: Household, commune: Unit, village: Unit | None = None) -> Household:
    """Move a household (and its children and adults) to another village or commune; history keeps the old place."""
    check_can_edit(actor, household.village or household.commune)
    check_can_edit(actor, village or commune)
    household.commune, household.village = commune, village
    household.unit_path = _place(commune, village)
    _save(household, actor)
    for child in household.children.all():
        child.commune, child.village, child.unit_path = commune, village, household.unit_path
        _save(child, actor)
    for person in household.adults.all():
        person.unit_path = household.unit_path
        _save(person, actor)
    return household


@transaction.atomic
def household_set_poverty(
    *, actor: Any, household: Household, status: str | None, since: dt.date, source: str = ""
) -> HouseholdPoverty | None:
    """Close the open poverty period the day before `since` and open a new one (None: not poor any more)."""
    check_can_edit(actor, household.village or household.commune)
    open_period = household.poverty_periods.filter(valid_to__isnull=True).first()
    if open_period is not None:
        if open_period.status == status:
            return open_period
        if open_period.valid_from >= since:
            raise ValidationError({"since": _("The new status must start after the current one.")})
        open_period.valid_to = since - dt.timedelta(days=1)
        _save(open_period, actor)
    if status is None:
        return None
    period = HouseholdPoverty(household=household, status=status, valid_from=since, source=source)
    period.full_clean()
    _save(period, actor)
    return period


# --- people and children --------------------------------------------------------------------------------------


@dataclass
class GuardianInput:
    full_name: str
    relation: str
    sex: str = ""
    date_of_birth: dt.date | None = None
    personal_id: str | None = None
    phone: str = ""
    lives_with_child: bool = True
    is_primary_caregiver: bool = False
    person: Person | None = None


@dataclass
class ChildInput:
    full_name: str
    sex: str
    date_of_birth: dt.date | None = None
    dob_precision: str = "day"
    ethnicity: str = ""
    personal_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # registration, insurance, school, disability, nutrition…


def _guardian_person(actor: Any, household: Household, g: GuardianInput) -> Person:
    if g.person is not None:
        return g.person
    existing = None
    if g.personal_id:
        existing = Person.objects.filter(personal_id=g.personal_id).first()
    if existing is None:
        existing = household.adults.filter(name_key=fold(g.full_name)).first()
    if existing is not None:
        return existing
    person = Person(
        full_name=g.full_name, name_key=fold(g.full_name), sex=g.sex or ("F" if g.relation == "mother" else "M"),
        date_of_birth=g.date_of_birth, personal_id=g.personal_id or None, phone=g.phone, household=household,
        unit_path=household.unit_path,
    )  # fmt: skip
    person.full_clean(exclude=["unit_path", "name_key", "ethnicity"])
    _save(person, actor)
    return person


@transaction.atomic
def child_register(
    *, actor: Any, household: Household, data: ChildInput, guardians: list[GuardianInput] | None = None
) -> Child:
    """Add a child to a household, with guardians; the first version in the child's history."""
    check_can_edit(actor, household.village or household.commune)
    child = Child(
        household=household, commune=household.commune, village=household.village, unit_path=household.unit_path,
        full_name=data.full_name, name_key=fold(data.full_name), sex=data.sex, date_of_birth=data.date_of_birth,
        dob_precision=data.dob_precision, ethnicity=data.ethnicity, personal_id=data.personal_id or None,
        created_by=actor if getattr(actor, "is_authenticated", False) else None, **data.extra,
    )  # fmt: skip
    child.full_clean(exclude=["unit_path", "name_key", "search_text"])
    _save(child, actor)
    for g in guardians or []:
        guardian_add(actor=actor, child=child, guardian=g)
    _refresh_search(child)
    child.refresh_from_db()
    return child


@transaction.atomic
def guardian_add(*, actor: Any, child: Child, guardian: GuardianInput) -> Guardianship:
    check_can_edit(actor, child.village or child.commune)
    person = _guardian_person(actor, child.household, guardian)
    link, _created = Guardianship.objects.get_or_create(
        child=child,
        person=person,
        defaults={
            "relation": guardian.relation,
            "lives_with_child": guardian.lives_with_child,
            "is_primary_caregiver": guardian.is_primary_caregiver,
        },
    )
    _refresh_search(child)
    return link


@transaction.atomic
def child_update(*, actor: Any, child: Child, **values: Any) -> Child:
    check_can_edit(actor, child.village or child.commune)
    for name, value in values.items():
        setattr(child, name, value)
    child.name_key = fold(child.full_name)
    child.personal_id = child.personal_id or None
    child.full_clean(exclude=["unit_path", "name_key", "search_text"])
    child.search_text = child_search_text(child)
    _save(child, actor)
    return child


@transaction.atomic
def child_set_status(*, actor: Any, child: Child, status: str, on: dt.date, note: str = "") -> Child:
    """Mark a child aged out, moved away or deceased (or back to active). Nothing is ever deleted."""
    check_can_edit(actor, child.village or child.commune)
    if status not in ChildStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if child.date_of_birth and on < child.date_of_birth:
        raise ValidationError({"on": _("The date is before the child's date of birth.")})
    child.status, child.status_date, child.status_note = status, on, note
    _save(child, actor)
    if status in (ChildStatus.MOVED_AWAY, ChildStatus.DECEASED):
        # Circumstances end with the child's presence in the commune.
        for c in child.circumstances.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on), valid_from__lte=on):
            c.valid_to = on
            _save(c, actor)
    return child


# --- circumstances --------------------------------------------------------------------------------------------


@transaction.atomic
def circumstance_add(
    *,
    actor: Any,
    child: Child,
    type: CircumstanceType,  # noqa: A002 - the domain word
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    subtype: CircumstanceSubtype | None = None,
    source: str = "",
    note: str = "",
) -> Circumstance:
    """Put a child in a special-circumstance group (or flag a risk) from a date; periods of one group never overlap."""
    check_can_edit(actor, child.village or child.commune)
    return _circumstance_create(
        actor=actor, child=child, type=type, valid_from=valid_from, valid_to=valid_to, subtype=subtype, source=source,
        note=note,
    )  # fmt: skip


def circumstance_add_from_case(
    *,
    actor: Any,
    child: Child,
    type: CircumstanceType,
    valid_from: dt.date,
    source: str,  # noqa: A002
) -> Circumstance:
    """A confirmed case puts its child in a group. The caller (cases) has checked the actor works on the case,
    which gives the right to record this even without registry edit rights."""
    return _circumstance_create(actor=actor, child=child, type=type, valid_from=valid_from, source=source)


def _circumstance_create(
    *,
    actor: Any,
    child: Child,
    type: CircumstanceType,  # noqa: A002
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    subtype: CircumstanceSubtype | None = None,
    source: str = "",
    note: str = "",
) -> Circumstance:
    if subtype is not None and subtype.type_id != type.pk:
        raise ValidationError({"subtype": _("The sub-type does not belong to this group.")})
    if child.date_of_birth and valid_from < child.date_of_birth:
        raise ValidationError({"valid_from": _("The start date is before the child's date of birth.")})
    overlapping = child.circumstances.filter(type=type, valid_from__lte=valid_to or dt.date.max).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from)
    )
    if overlapping.exists():
        raise ValidationError({"valid_from": _("The child is already in this group during that period.")})
    circumstance = Circumstance(
        child=child, type=type, subtype=subtype, valid_from=valid_from, valid_to=valid_to, source=source, note=note,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )  # fmt: skip
    circumstance.full_clean()
    _save(circumstance, actor)
    return circumstance


@transaction.atomic
def circumstance_end(*, actor: Any, circumstance: Circumstance, valid_to: dt.date, note: str = "") -> Circumstance:
    check_can_edit(actor, circumstance.child.village or circumstance.child.commune)
    if valid_to < circumstance.valid_from:
        raise ValidationError({"valid_to": _("The end date is before the start date.")})
    circumstance.valid_to = valid_to
    if note:
        circumstance.note = f"{circumstance.note}\n{note}".strip()
    _save(circumstance, actor)
    return circumstance
