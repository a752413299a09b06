"""Households: create, update, move, poverty periods."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from treem.units.models import Unit

from ..models import (
    Household,
    HouseholdPoverty,
)
from ._common import _place, _refresh_search, _save, check_can_edit, derive_child, derive_person


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
        child.household = household
        _save(derive_child(child), actor)
    for person in household.adults.all():
        person.household = household
        _save(derive_person(person), actor)
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
