"""What support adds to registry pages (registered in `SupportConfig.ready()`; the registry never imports support)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from treem.accounts import permissions as rules
from treem.registry.panels import Panel

from . import selectors

if TYPE_CHECKING:
    from treem.accounts.web import AuthedRequest
    from treem.registry.models import Child


def child_support_panel(request: AuthedRequest, child: Child) -> Panel | None:
    """The child's support lists and deliveries (rounds in the viewer's scope); nothing when there are none."""
    if not rules.SEE_REGISTRY.allows(request.user):
        return None
    rows = selectors.child_history(request.user, child)
    return Panel("support/_child_support.html", {"support_rows": rows}) if rows else None
