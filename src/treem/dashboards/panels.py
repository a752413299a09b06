"""Panels that other apps add to the dashboard, so it shows their figures without importing them (and they need not
import the dashboard's internals either: they call `register_panel` from their AppConfig.ready()).

A panel function gets the request, the unit and the period of the dashboard and returns a `Panel` (a template and
its context) or None when it has nothing for this reader. Reading, scoping and auditing its data is its own job.
Planned: the report completeness of the current cycle, from `reporting`:

    # treem/reporting/apps.py
    def ready(self) -> None:
        from treem.dashboards.panels import register_panel
        from .dashboard import completeness_panel   # (request, unit, period) -> Panel | None
        register_panel(completeness_panel, order=10)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from treem.accounts.web import AuthedRequest
    from treem.core.periods import Period
    from treem.units.models import Unit


@dataclass(frozen=True, slots=True)
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    title: str = ""


type DashboardPanel = Callable[["AuthedRequest", "Unit", "Period"], Panel | None]

_panels: list[tuple[int, DashboardPanel]] = []


def register_panel(panel: DashboardPanel, *, order: int = 100) -> DashboardPanel:
    """Add a panel to the dashboard (once, however often `ready()` runs); lower `order` comes first."""
    if all(p is not panel for _o, p in _panels):
        _panels.append((order, panel))
        _panels.sort(key=lambda item: item[0])
    return panel


def unregister_panel(panel: DashboardPanel) -> None:
    _panels[:] = [(o, p) for o, p in _panels if p is not panel]


def dashboard_panels(request: AuthedRequest, unit: Unit, period: Period) -> list[Panel]:
    """The panels this reader gets on this unit's dashboard, in order."""
    return [p for _order, panel in _panels if (p := panel(request, unit, period)) is not None]
