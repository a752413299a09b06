"""Shared by every registry writer: the edit-rights check, where a record sits, saving with its history user,
and the derived search text."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from treem.accounts import capabilities as cap
from treem.accounts.scope import unit_in_scope
from treem.core.text import fold
from treem.units.models import Level, Unit

from ..models import (
    Child,
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
