"""Households: create, update, move, poverty periods, and the edit page's all-or-nothing change of all three."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from treem.accounts.models import User
from treem.core.dates import today_vn
from treem.units.models import Unit

from ..models import (
    Household,
    HouseholdPoverty,
    PovertyStatus,
)
from ._common import _place, _refresh_search, _save, check_can_edit, derive_child, derive_person
from .residences import residence_follow


@transaction.atomic
def household_create(
    *,
    actor: User,
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
def household_update(*, actor: User, household: Household, **values: Any) -> Household:
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
def household_move(
    *, actor: User, household: Household, commune: Unit, village: Unit | None = None, on: dt.date | None = None
) -> Household:
    """Move a household (and its children and adults) to another village or commune on `on` (default today); history
    keeps the old place and each child's residence changes that day."""
    check_can_edit(actor, household.village or household.commune)
    check_can_edit(actor, village or commune)
    household.commune, household.village = commune, village
    household.unit_path = _place(commune, village)
    _save(household, actor)
    for child in household.children.all():
        child.household = household
        _save(derive_child(child), actor)
        residence_follow(child, on or today_vn())
    for person in household.adults.all():
        person.household = household
        _save(derive_person(person), actor)
    return household


def _poverty_open_period(household: Household, status: str | None, since: dt.date) -> HouseholdPoverty | None:
    """The open period a new status would close, after checking the new status may start on `since`."""
    open_period = household.poverty_periods.filter(valid_to__isnull=True).first()
    if open_period is not None and open_period.status != status and open_period.valid_from >= since:
        raise ValidationError({"since": _("The new status must start after the current one.")})
    if status is not None and status not in PovertyStatus.values:
        raise ValidationError({"status": _("Unknown poverty status.")})
    return open_period


@transaction.atomic
def household_set_poverty(
    *, actor: User, household: Household, status: str | None, since: dt.date, source: str = ""
) -> HouseholdPoverty | None:
    """Close the open poverty period the day before `since` and open a new one (None: not poor any more)."""
    check_can_edit(actor, household.village or household.commune)
    open_period = _poverty_open_period(household, status, since)
    if open_period is not None:
        if open_period.status == status:
            return open_period
        open_period.valid_to = since - dt.timedelta(days=1)
        _save(open_period, actor)
    if status is None:
        return None
    period = HouseholdPoverty(household=household, status=status, valid_from=since, source=source)
    period.full_clean()
    _save(period, actor)
    return period


@dataclass(frozen=True)
class PovertyChange:
    """A new poverty status from a date (status None: not poor any more)."""

    status: str | None
    since: dt.date
    source: str = ""


POVERTY_PREFIX = "poverty_"  # keys of a poverty error in the ValidationError of `household_edit`


@transaction.atomic
def household_edit(
    *,
    actor: User,
    household: Household,
    values: dict[str, Any],
    village: Unit | None,
    poverty: PovertyChange | None = None,
) -> Household:
    """The household edit page in one go: new values, the village (moving it and its people when it changed) and
    a new poverty status. Every right is checked and everything validated before anything is written; it all
    happens in one transaction, or nothing does.

    Raises PermissionDenied, or ValidationError with the household's field names and, for the poverty status,
    `poverty_status` / `poverty_since`."""
    household = (
        Household.objects.select_for_update(of=("self",)).select_related("commune", "village").get(pk=household.pk)
    )
    commune = household.commune
    moving = (village.pk if village else None) != household.village_id
    check_can_edit(actor, household.village or commune)
    if moving:
        check_can_edit(actor, village or commune)
    errors: dict[str, list[str]] = {}
    draft = Household.objects.get(pk=household.pk)
    for name, value in values.items():
        setattr(draft, name, value)
    try:
        if moving:
            draft.village, draft.unit_path = village, _place(commune, village)
        draft.full_clean(exclude=["unit_path", "head"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if poverty is not None:
        try:
            _poverty_open_period(household, poverty.status, poverty.since)
        except ValidationError as exc:
            errors.update({POVERTY_PREFIX + k: v for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    if values:
        household_update(actor=actor, household=household, **values)
    if moving:
        household_move(actor=actor, household=household, commune=commune, village=village)
    if poverty is not None:
        household_set_poverty(
            actor=actor, household=household, status=poverty.status, since=poverty.since, source=poverty.source
        )
    return household
