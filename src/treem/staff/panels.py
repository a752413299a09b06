"""Panels that other apps add to a person's page on the roster, so it shows their records without this app importing
them: "training received" (`activities`) is the first planned. A panel function gets (request, worker) and returns
a `Panel` or None (nothing for this reader); it reads, scopes and audits its own data:

    # treem/activities/apps.py
    def ready(self) -> None:
        from treem.core.panels import STAFF_WORKER, register_panel
        from .panels import training_panel    # (request, worker) -> Panel | None
        register_panel(STAFF_WORKER, training_panel, order=10)

The page shows each panel's template with the panel's context as `panel`, under its title.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from treem.core.panels import STAFF_WORKER, Panel, panels_for

if TYPE_CHECKING:
    from treem.accounts.web import AuthedRequest

    from .models import Worker

__all__ = ["STAFF_WORKER", "Panel", "worker_panels"]


def worker_panels(request: AuthedRequest, worker: Worker) -> list[Panel]:
    """The panels this reader gets on this person's page, in order."""
    return panels_for(STAFF_WORKER, request, worker)
