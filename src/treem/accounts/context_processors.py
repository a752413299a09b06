from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from . import capabilities as cap
from . import permissions


def capabilities(request: HttpRequest) -> dict[str, Any]:
    """`caps`: the capability codes of the current user; `can`: the named rules of `accounts.permissions` by name,
    the same rules the views require, for showing only the links the user may follow."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"caps": frozenset(), "can": dict.fromkeys((r.name for r in permissions.RULES), False)}
    return {"caps": frozenset(c for c in cap.ALL if user.has_capability(c)), "can": permissions.allowed(user)}
