"""Children and their guardians."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from treem.accounts.models import User
from treem.core.dates import today_vn

from .. import duplicates
from ..models import (
    Child,
    ChildStatus,
    DeathCause,
    Guardianship,
    Household,
    Person,
)
from ._common import _refresh_search, _save, check_can_edit, derive_child, derive_person, name_key
from .residences import GONE, residence_end, residence_follow, residence_resume


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


def _guardian_person(actor: User, household: Household, g: GuardianInput) -> Person:
    if g.person is not None:
        return g.person
    existing = None
    if g.personal_id:
        existing = Person.objects.filter(personal_id=g.personal_id).first()
    if existing is None:
        existing = household.adults.filter(name_key=name_key(g.full_name)).first()
    if existing is not None:
        return existing
    person = derive_person(Person(
        full_name=g.full_name, sex=g.sex or ("F" if g.relation == "mother" else "M"), date_of_birth=g.date_of_birth,
        personal_id=g.personal_id, phone=g.phone, household=household,
    ))  # fmt: skip
    person.full_clean(exclude=["unit_path", "name_key", "ethnicity"])
    _save(person, actor)
    return person


@transaction.atomic
def child_register(
    *,
    actor: User,
    household: Household,
    data: ChildInput,
    guardians: list[GuardianInput] | None = None,
    not_duplicate_of: Sequence[Child] = (),
) -> Child:
    """Add a child to a household, with guardians; the first version in the child's history.

    `not_duplicate_of`: children the person was shown as likely duplicates and said this child is none of; the
    duplicate checker remembers the pairs in the same transaction (see `registry.duplicates`)."""
    check_can_edit(actor, household.village or household.commune)
    child = derive_child(Child(
        household=household, full_name=data.full_name, sex=data.sex, date_of_birth=data.date_of_birth,
        dob_precision=data.dob_precision, ethnicity=data.ethnicity, personal_id=data.personal_id,
        created_by=actor if getattr(actor, "is_authenticated", False) else None, **data.extra,
    ), guardian_names=[])  # fmt: skip
    _check_id_free(child)
    child.full_clean(exclude=["unit_path", "name_key", "search_text"])
    _save(child, actor)
    residence_follow(child, today_vn())
    if child.status in GONE:
        residence_end(child, child.status_date or today_vn())
    for g in guardians or []:
        guardian_add(actor=actor, child=child, guardian=g)  # each stores the search text again, with its name
    child.refresh_from_db()
    duplicates.remember_different(actor, child, not_duplicate_of)
    return child


@transaction.atomic
def guardian_add(*, actor: User, child: Child, guardian: GuardianInput) -> Guardianship:
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
def child_update(*, actor: User, child: Child, not_duplicate_of: Sequence[Child] = (), **values: Any) -> Child:
    """Change a child's values; `not_duplicate_of` as for `child_register`."""
    check_can_edit(actor, child.village or child.commune)
    old_id = child.personal_id
    for name, value in values.items():
        setattr(child, name, value)
    derive_child(child)
    if child.personal_id != old_id and "id_verified_on" not in values:
        child.id_verified_on = None  # a number changed by hand is no longer the one the police verified
    _check_id_free(child)
    child.full_clean(exclude=["unit_path", "name_key", "search_text"])
    _save(child, actor)
    residence_follow(child, today_vn())
    duplicates.remember_different(actor, child, not_duplicate_of)
    return child


def _check_id_free(child: Child) -> None:
    """One personal ID, one child's record (the database constraint says it in words nobody reads)."""
    if child.personal_id and Child.objects.filter(personal_id=child.personal_id).exclude(pk=child.pk).exists():
        raise ValidationError({"personal_id": _("This personal ID is already on another child's record.")})


@transaction.atomic
def child_set_status(
    *, actor: User, child: Child, status: str, on: dt.date, note: str = "", death_cause: str = ""
) -> Child:
    """Mark a child aged out, moved away or deceased (or back to active). Nothing is ever deleted.

    A death records its cause (`DeathCause`; none given: unknown); the residence and the open groups and risk flags
    end on the day of death."""
    check_can_edit(actor, child.village or child.commune)
    return set_status(actor=actor, child=child, status=status, on=on, note=note, death_cause=death_cause)


def set_status(
    *, actor: User | None, child: Child, status: str, on: dt.date, note: str = "", death_cause: str = ""
) -> Child:
    """`child_set_status` for a caller that has checked the actor's right itself (an import of the commune)."""
    if status not in ChildStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if child.date_of_birth and on < child.date_of_birth:
        raise ValidationError({"on": _("The date is before the child's date of birth.")})
    if death_cause not in DeathCause.values or (death_cause and status != ChildStatus.DECEASED):
        raise ValidationError({"death_cause": _("A cause of death is recorded only for a child who died.")})
    if status == ChildStatus.DECEASED:
        death_cause = death_cause or DeathCause.UNKNOWN
    child.status, child.status_date, child.status_note = status, on, note
    child.death_cause = death_cause
    _save(child, actor)
    if status in GONE:
        residence_end(child, on)
    elif status == ChildStatus.ACTIVE:
        residence_resume(child, on)
    if status in GONE:
        # Circumstances end with the child's presence in the commune.
        for c in child.circumstances.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on), valid_from__lte=on):
            c.valid_to = on
            _save(c, actor)
    return child
