"""Case pages, split by screen: the dashboard and intake, the case file (steps, events, documents)."""

from __future__ import annotations

from .case_file import assign, detail, document, event_add, step
from .common import may_take, shows_informant
from .dashboard import child_search, dashboard, intake
from .decisions import closure_refuse, sent_detail, sent_list, transfer
from .disclosures import disclosure_add
from .outcomes import helpline_feedback, outcome_add
from .proposals import proposal_decide
from .referrals import referral_acknowledge, referral_add, referral_inbox, referral_received

__all__ = [
    "assign", "child_search", "closure_refuse", "dashboard", "detail", "disclosure_add", "document", "event_add",
    "helpline_feedback", "intake", "may_take", "outcome_add", "proposal_decide", "sent_detail", "sent_list",
    "shows_informant", "step", "transfer",
    "referral_acknowledge", "referral_add", "referral_inbox", "referral_received",
]  # fmt: skip
