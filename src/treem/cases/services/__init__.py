"""Case writes: intake, checked status moves, events, the chairman's decisions, assignment and transfer. Each write
is audited in its transaction.

A package by sub-domain; every public name is here, so `from treem.cases import services` then
`services.case_transition(...)` works as it did for the single module."""

from .alerts import (
    RAPID_AGE_BANDS,
    notification_mark_read,
    notifications_mark_all_read,
    rapid_alert,
    rapid_alert_acknowledge,
)
from .decisions import (
    CLOSURE_NOT_A_CASE,
    CLOSURE_SAFE,
    DECISION_STEPS,
    check_decider,
    check_event_actor,
    check_reassessment_before_end,
    closure_refuse,
    decision_data,
    delegation_grant,
    delegation_revoke,
)
from .events import SERVICE_ONLY_KINDS, case_add_event, separation_extend
from .intake import case_open
from .steps import CONFIRMING_STATUSES, EARLY_CLOSURE_FROM, FACT_STEPS, FACTS, case_transition, check_plan_rows
from .transfers import case_assign, case_transfer

__all__ = [
    "CLOSURE_NOT_A_CASE", "CLOSURE_SAFE", "CONFIRMING_STATUSES", "DECISION_STEPS", "EARLY_CLOSURE_FROM", "FACTS",
    "FACT_STEPS", "RAPID_AGE_BANDS", "SERVICE_ONLY_KINDS", "case_add_event", "case_assign", "case_open",
    "case_transfer", "case_transition", "check_decider", "check_event_actor", "check_plan_rows",
    "check_reassessment_before_end", "closure_refuse", "decision_data", "delegation_grant", "delegation_revoke",
    "notification_mark_read", "notifications_mark_all_read", "rapid_alert", "rapid_alert_acknowledge",
    "separation_extend",
]  # fmt: skip
