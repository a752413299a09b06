"""The one place that turns (user, queryset) into what that user may see.

A user sees the unit they work for and everything below it: nothing sideways, nothing above. Records carry
the materialised path of their unit (`unit_path`, or the model's `SCOPE_PATH_FIELD`), so the rule is one
indexed prefix filter on both SQLite and PostgreSQL.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404

from treem.units.models import Level, Structure, Unit, unit_path_field

M = TypeVar("M", bound=Model)


def _path_field(qs: QuerySet[Any], path_field: str | None) -> str:
    return path_field or unit_path_field(qs.model)


def scope_root(user: Any) -> Unit | None:
    """The unit whose subtree the user may see, or None for no restriction (a superuser without a unit)."""
    return getattr(user, "unit", None)


def is_unrestricted(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser and scope_root(user) is None)


def scope_queryset[M: Model](
    user: Any, qs: QuerySet[M], *, path_field: str | None = None, within: Unit | None = None
) -> QuerySet[M]:
    """Restrict `qs` to the records the user may see; `within` a unit: to that unit's subtree as well (nothing
    when the unit is outside the user's scope)."""
    if not (user and user.is_authenticated and user.is_active):
        return qs.none()
    if within is not None:  # a subtree inside the scope needs no second filter by the scope
        if not unit_in_scope(user, within):
            return qs.none()
        return qs.filter(**{f"{_path_field(qs, path_field)}__path_prefix": within.path})
    if is_unrestricted(user):
        return qs
    root = scope_root(user)
    if root is None:
        return qs.none()
    return qs.filter(**{f"{_path_field(qs, path_field)}__path_prefix": root.path})


def visible_unit(user: Any, pk: Any) -> Unit | None:
    """The unit `pk` (a number or its text) when the user may see it; None when it is missing or out of scope."""
    if not str(pk).isdigit():
        return None
    return scope_queryset(user, Unit.objects.all()).filter(pk=int(pk)).first()


def unit_in_scope(user: Any, unit: Unit) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    if is_unrestricted(user):
        return True
    root = scope_root(user)
    return root is not None and unit.path.startswith(root.path)


def get_or_404[M: Model](qs: QuerySet[M], **lookup: Any) -> M:
    """The one record of an already scoped `qs`, or 404: the one place "not found" becomes a 404."""
    try:
        return qs.get(**lookup)
    except ObjectDoesNotExist as exc:  # the model's DoesNotExist
        raise Http404 from exc


def get_for_user_or_404[M: Model](user: Any, qs: QuerySet[M], *, path_field: str | None = None, **lookup: Any) -> M:
    """Fetch one record in the user's scope. Out of scope looks exactly like missing (404), never 403."""
    return get_or_404(scope_queryset(user, qs, path_field=path_field), **lookup)


def communes_to_choose(user: Any) -> QuerySet[Unit] | None:
    """The current communes the user may choose for new work (an intake, an import), or None when the user works
    for one commune (the work goes there)."""
    root = scope_root(user)
    if root is not None and root.level == Level.COMMUNE:
        return None
    communes = Unit.objects.filter(level=Level.COMMUNE, structure=Structure.CURRENT, is_active=True)
    return scope_queryset(user, communes).order_by("path")
