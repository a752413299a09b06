"""Case pages, split by screen: the dashboard and intake, the case file (steps, events, documents)."""

from __future__ import annotations

from .case_file import assign, detail, document, event_add, step
from .common import may_take, shows_informant
from .dashboard import child_search, dashboard, intake
from .decisions import closure_refuse, sent_detail, sent_list, transfer

__all__ = [
    "assign", "child_search", "dashboard", "detail", "document", "event_add", "intake", "may_take", "shows_informant",
    "step", "closure_refuse", "sent_detail", "sent_list", "transfer",
]  # fmt: skip
