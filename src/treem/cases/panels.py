"""What cases adds to registry pages (registered in `CasesConfig.ready()`; the registry never imports cases)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from treem.registry.panels import Panel

from . import selectors

if TYPE_CHECKING:
    from treem.accounts.web import AuthedRequest
    from treem.registry.models import Child


def child_case_panel(request: AuthedRequest, child: Child) -> Panel | None:
    """The child's cases this user may see, audited by the selector; nothing at all when there are none."""
    cases = selectors.child_cases(request.user, child.pk, request=request)
    return Panel("cases/_child_cases.html", {"child_cases": cases}) if cases else None
