"""Case pages, split by screen: the dashboard and intake, the case file (steps, events, documents)."""

from __future__ import annotations

from .case_file import assign, detail, document, event_add, step
from .common import may_take, shows_informant
from .dashboard import child_search, dashboard, intake
from .disclosures import disclosure_add
from .proposals import proposal_decide

__all__ = [
    "assign", "child_search", "dashboard", "detail", "disclosure_add", "document", "event_add", "intake", "may_take",
    "proposal_decide", "shows_informant", "step",
]  # fmt: skip
