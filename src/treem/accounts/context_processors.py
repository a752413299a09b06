from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from . import capabilities as cap


def capabilities(request: HttpRequest) -> dict[str, Any]:
    """`caps`: the capability codes of the current user, for showing only the links they may follow."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"caps": frozenset()}
    return {"caps": frozenset(c for c in cap.ALL if user.has_capability(c))}
