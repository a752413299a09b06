"""Panels that other apps add to the dashboard, so it shows their figures without importing them: the report
completeness of the current cycle (`reporting`) is the first planned. The slot lives in `treem.core.panels` so
that an app of any rank may register; a panel function gets (request, unit, period) and returns a `Panel` or None:

    # treem/reporting/apps.py
    def ready(self) -> None:
        from treem.core.panels import DASHBOARD, register_panel
        from .dashboard import completeness_panel    # (request, unit, period) -> Panel | None
        register_panel(DASHBOARD, completeness_panel, order=10)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from treem.core.panels import DASHBOARD, Panel, panels_for

if TYPE_CHECKING:
    from treem.accounts.web import AuthedRequest
    from treem.core.periods import Period
    from treem.units.models import Unit

__all__ = ["DASHBOARD", "Panel", "dashboard_panels"]


def dashboard_panels(request: AuthedRequest, unit: Unit, period: Period) -> list[Panel]:
    """The panels this reader gets on this unit's dashboard, in order."""
    return panels_for(DASHBOARD, request, unit, period)
