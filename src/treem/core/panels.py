"""Named panel slots: a page shows panels that other apps register, whatever their rank, without importing them.

An app registers a function for a slot in its AppConfig.ready(); the page asks every function of its slot and
includes the template of each `Panel` it gets back (None: nothing for this reader, and nothing shows that there
is something hidden). Reading, scoping and auditing the panel's data is the registering app's job. This lives in
`core` so that an app of any rank can register (e.g. `reporting`, rank 7, on the dashboard, rank 8).

Slots and the arguments their functions get:
- `DASHBOARD` (`treem.dashboards`): (request, unit, period) -> Panel | None
- `STAFF_WORKER` (`treem.staff`, a person's page on the roster): (request, worker) -> Panel | None
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

DASHBOARD = "dashboard"
STAFF_WORKER = "staff_worker"


@dataclass(frozen=True, slots=True)
class Panel:
    template: Any  # a template name, or a Template object
    context: dict[str, Any] = field(default_factory=dict)
    title: str = ""


type PanelFunction = Callable[..., Panel | None]

_slots: dict[str, list[tuple[int, PanelFunction]]] = {}


def register_panel(slot: str, panel: PanelFunction, *, order: int = 100) -> PanelFunction:
    """Add a panel function to a slot (once, however often `ready()` runs); lower `order` comes first."""
    items = _slots.setdefault(slot, [])
    if all(p is not panel for _o, p in items):
        items.append((order, panel))
        items.sort(key=lambda item: item[0])
    return panel


def unregister_panel(slot: str, panel: PanelFunction) -> None:
    _slots[slot] = [(o, p) for o, p in _slots.get(slot, []) if p is not panel]


def panels_for(slot: str, *args: Any) -> list[Panel]:
    """The panels of the slot for these arguments, in order."""
    return [p for _order, panel in _slots.get(slot, []) if (p := panel(*args)) is not None]
