"""Shared by every registry writer: the edit-rights check, where a record sits, saving with its history user,
and the derived fields (`derive_child`, `derive_person`: the one place that computes name_key, search_text and
unit_path)."""

from __future__ import annotations

import functools
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from treem.accounts import capabilities as cap
from treem.accounts.models import User
from treem.accounts.scope import unit_in_scope
from treem.core.text import fold
from treem.units.models import Level, Unit

from ..models import (
    Child,
    Household,
    Person,
)

# Names repeat (parents' and heads' names across a household's children): fold each distinct one once.
name_key = functools.lru_cache(maxsize=32_768)(fold)


def check_can_edit(user: User, unit: Unit) -> None:
    """Raise PermissionDenied unless the user may edit registry records of `unit` (and below)."""
    if not (user.has_capability(cap.REGISTRY_EDIT) and unit_in_scope(user, unit)):
        raise PermissionDenied(_("You may not edit the registry of this unit."))


def can_edit(user: User, unit: Unit) -> bool:
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


def _save(obj: Any, actor: User | None, reason: str = "") -> None:
    """Save with its history row naming the actor (none for the system) and, when given, the change reason."""
    obj._history_user = actor if getattr(actor, "is_authenticated", False) else None
    if reason:
        obj._change_reason = reason
    obj.save()


def household_path(household: Household) -> str:
    """Where a household sits: its village's path, else its commune's (the place itself is checked by `_place`)."""
    return (household.village or household.commune).path


def derive_child(child: Child, *, guardian_names: list[str] | None = None) -> Child:
    """Set what a child's stored row derives from its own values and its household: the place (commune, village,
    unit_path as the household's), name_key, search_text, and an empty ID as NULL. Every writer calls this.

    `guardian_names`: the guardians' names when the caller knows them (bulk writers); else they are read."""
    household = child.household
    child.household_id = household.pk  # assigned before the household was stored (bulk writers)
    child.commune_id, child.village_id, child.unit_path = (
        household.commune_id,
        household.village_id,
        household.unit_path,
    )
    child.name_key = name_key(child.full_name)
    child.personal_id = child.personal_id or None
    child.search_text = child_search_text(child, guardian_names)
    return child


def derive_person(person: Person) -> Person:
    """An adult's name_key, and unit_path as their household's (kept as it is for someone without a household)."""
    person.name_key = name_key(person.full_name)
    person.personal_id = person.personal_id or None
    household = person.household
    if household is not None:
        person.household_id, person.unit_path = household.pk, household.unit_path
    return person


def child_search_text(child: Child, guardian_names: list[str] | None = None) -> str:
    """Folded words of the child's name, guardians' names and ID, each after a space (word-prefix search)."""
    if guardian_names is None:
        guardian_names = list(child.guardianships.values_list("person__full_name", flat=True)) if child.pk else []
    head = child.household.head_name if child.household_id else ""
    return search_text(child.full_name, guardian_names, head, child.personal_id)


def search_text(full_name: str, guardian_names: list[str], head_name: str, personal_id: str | None) -> str:
    """`child_search_text` from the values themselves (bulk writers that hold no model instance)."""
    words = fold(" ".join([full_name, *guardian_names, head_name])).split()
    if personal_id:
        words.append(personal_id)
    return (" " + " ".join(dict.fromkeys(words)))[:600]


def _refresh_search(child: Child) -> None:
    """Store a child's derived fields again after its guardians or household changed (no history: derived only)."""
    derive_child(child)
    Child.objects.filter(pk=child.pk).update(search_text=child.search_text)
