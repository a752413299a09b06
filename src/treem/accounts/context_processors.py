from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from . import permissions


def capabilities(request: HttpRequest) -> dict[str, Any]:
    """`can`: the named rules of `accounts.permissions` by name, the same rules the views require, for showing
    only the links the user may follow (all False for an anonymous user)."""
    return {"can": permissions.allowed(getattr(request, "user", None))}
