"""Panels that higher apps add to registry pages, so the registry shows their data without importing them.

An app registers a panel function in its `AppConfig.ready()`; the child page asks every registered function and
includes the template of each panel it gets back. A function returns None when it has nothing to show this user
(so nothing reveals that there is something hidden). Reading and auditing its data is the registering app's job.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from treem.accounts.web import AuthedRequest

    from .models import Child


@dataclass(frozen=True, slots=True)
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


type ChildPanel = Callable[["AuthedRequest", "Child"], Panel | None]

_child_panels: list[ChildPanel] = []


def register_child_panel(panel: ChildPanel) -> ChildPanel:
    """Add a panel to the child page (once, however often `ready()` runs); usable as a decorator."""
    if panel not in _child_panels:
        _child_panels.append(panel)
    return panel


def child_panels(request: AuthedRequest, child: Child) -> list[Panel]:
    """The panels this user gets on this child's page, in the order they were registered."""
    return [p for panel in _child_panels if (p := panel(request, child)) is not None]
