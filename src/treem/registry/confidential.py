"""Case-derived groups are case data: who may see a confidential circumstance.

A circumstance is confidential when its group is marked so (`CircumstanceType.confidential`: the abuse-related
letters i, k, l, m of Luật Trẻ em Art. 10) or when it was recorded as such. Such a row belongs to the case that
established it, and the registry does not know who may see cases (it does not import the cases app): the cases app
registers a visibility provider in its AppConfig.ready(). With no provider registered, confidential rows are shown
to no one.

Everything the registry shows (pages, the list and its filters, exports, books, the child's history) reads
circumstances through `visible_q`; counting helpers (`selectors.count_in_group_on`) count every row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q

# provider(user) -> None when the user may see no confidential circumstance at all, else a Q over the fields
# that `Circumstance` and its historical model share (`source_case_id`, `source_unit_path`, `child__…`, `type__…`)
# selecting the confidential rows the user may see.
VisibilityProvider = Callable[[Any], Q | None]

_providers: dict[str, VisibilityProvider] = {}


def register_visibility_provider(name: str, provider: VisibilityProvider) -> None:
    """Called from an AppConfig.ready(); registering the same name again replaces it (idempotent)."""
    _providers[name] = provider


def unregister_visibility_provider(name: str) -> None:
    _providers.pop(name, None)


def is_confidential(circumstance: Any) -> bool:
    """Whether a circumstance (or a history row of one) is confidential: recorded as such, or in a group marked as
    case data. The same rule as `visible_q`'s ordinary rows, on a loaded row (its `type` loaded with it)."""
    return bool(circumstance.confidential or circumstance.type.confidential)


def allowed_q(user: Any) -> Q | None:
    """The confidential rows this user may see, or None when none (no provider says yes)."""
    if not (user is not None and getattr(user, "is_authenticated", False) and user.is_active):
        return None
    allowed: Q | None = None
    for provider in _providers.values():
        q = provider(user)
        if q is not None:
            allowed = q if allowed is None else allowed | q
    return allowed


def may_see_any(user: Any) -> bool:
    """Whether the user may see confidential groups at all (then they are offered in the list's filters)."""
    return allowed_q(user) is not None


def visible_q(user: Any) -> Q:
    """The circumstances (or their history rows) this user may be shown: every ordinary row, and the confidential
    ones a provider allows."""
    ordinary = Q(confidential=False) & Q(type__confidential=False)
    allowed = allowed_q(user)
    return ordinary if allowed is None else ordinary | allowed
