"""Special-circumstance groups and risk flags as dated intervals."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from treem.accounts.models import User
from treem.core.dates import today_vn

from ..models import (
    DISABILITY_GROUP,
    Child,
    Circumstance,
    CircumstanceKind,
    CircumstanceSubtype,
    CircumstanceType,
    Disability,
)
from ._common import _save, check_can_edit, derive_child

# The sub-types of group d name the degree the disability certificate states (Law on Persons with Disabilities,
# 2010, Art. 3.2).
DEGREE_OF_SUBTYPE = {"1": Disability.VERY_SEVERE, "2": Disability.SEVERE, "3": Disability.MILD}


def disability_conflict(child: Child, circumstance_type: CircumstanceType) -> bool:
    """Group d (children with disabilities) for a child whose profile records no disability."""
    is_group_d = circumstance_type.kind == CircumstanceKind.SPECIAL and circumstance_type.code == DISABILITY_GROUP
    return is_group_d and child.disability == Disability.NONE


def disability_of_subtype(subtype: CircumstanceSubtype) -> str | None:
    """The degree of disability a sub-type of group d names (None for other groups)."""
    if subtype.type.kind != CircumstanceKind.SPECIAL or subtype.type.code != DISABILITY_GROUP:
        return None
    return DEGREE_OF_SUBTYPE.get(subtype.code)


@transaction.atomic
def circumstance_add(
    *,
    actor: User,
    child: Child,
    type: CircumstanceType,  # noqa: A002 - the domain word
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    subtype: CircumstanceSubtype | None = None,
    source: str = "",
    note: str = "",
    profile_disability: str | None = None,
) -> Circumstance:
    """Put a child in a special-circumstance group (or flag a risk) from a date; periods of one group never overlap.

    `profile_disability`: with group d on a profile that records no disability, the degree to write into the
    child's profile in the same transaction (the form asks for it; see `disability_conflict`)."""
    check_can_edit(actor, child.village or child.commune)
    circumstance = _circumstance_create(
        actor=actor, child=child, type=type, valid_from=valid_from, valid_to=valid_to, subtype=subtype, source=source,
        note=note,
    )  # fmt: skip
    if profile_disability is not None:
        if profile_disability not in Disability.values or not (profile_disability and disability_conflict(child, type)):
            raise ValidationError({"disability": _("The profile's disability is updated only with group d.")})
        child.disability = profile_disability
        derive_child(child)
        child.full_clean(exclude=["unit_path", "name_key", "search_text"])
        _save(child, actor)
    return circumstance


def circumstance_add_from_case(
    *,
    actor: User,
    child: Child,
    type: CircumstanceType,
    valid_from: dt.date,
    source: str,  # noqa: A002
    source_case_id: int | None = None,
    source_unit_path: str = "",
) -> Circumstance:
    """A confirmed case puts its child in a group. The caller (cases) has checked the actor works on the case,
    which gives the right to record this even without registry edit rights. The row names its case, so that it is
    shown only to those who may see that case (see `registry.confidential`)."""
    return _circumstance_create(
        actor=actor, child=child, type=type, valid_from=valid_from, source=source, source_case_id=source_case_id,
        source_unit_path=source_unit_path,
    )  # fmt: skip


def _circumstance_create(
    *,
    actor: User,
    child: Child,
    type: CircumstanceType,  # noqa: A002
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    subtype: CircumstanceSubtype | None = None,
    source: str = "",
    note: str = "",
    source_case_id: int | None = None,
    source_unit_path: str = "",
) -> Circumstance:
    if subtype is not None and subtype.type_id != type.pk:
        raise ValidationError({"subtype": _("The sub-type does not belong to this group.")})
    if valid_from > today_vn():
        raise ValidationError({"valid_from": _("The start date is in the future.")})
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
        confidential=type.confidential or source_case_id is not None,  # case data: see registry.confidential
        source_case_id=source_case_id, source_unit_path=source_unit_path,
    )  # fmt: skip
    circumstance.full_clean()
    _save(circumstance, actor)
    return circumstance


@transaction.atomic
def circumstance_end(*, actor: User, circumstance: Circumstance, valid_to: dt.date, note: str = "") -> Circumstance:
    check_can_edit(actor, circumstance.child.village or circumstance.child.commune)
    if valid_to < circumstance.valid_from:
        raise ValidationError({"valid_to": _("The end date is before the start date.")})
    circumstance.valid_to = valid_to
    if note:
        circumstance.note = f"{circumstance.note}\n{note}".strip()
    _save(circumstance, actor)
    return circumstance
