"""Child protection cases under Nghị định 56/2017 Arts. 25–32: the case, its dated events, its legal clocks.

Status moves are checked against STATUS_FLOW and recorded as CaseEvent rows; deadlines are stored rows with an
indexed `due_at`; clock rules and calendar adjustments are data an administrator can correct.

A package by sub-domain; every model is imported here, so Django registers it with the cases app (same app label,
same migrations) and `from treem.cases.models import X` works as it did for the single module.
"""

from .alerts import Notification, RapidAlert, RapidReportRule
from .case import (
    INTAKE_FAMILY_FIELDS,
    OPEN_STATUSES,
    STATUS_FLOW,
    AbuseForm,
    AbuserRelation,
    Case,
    Category,
    Channel,
    Confidentiality,
    FeedbackMeans,
    Setting,
    Status,
)
from .clocks import ClockRule, Deadline, WorkdayAdjustment
from .decisions import CaseTransfer, Delegation
from .disclosures import Disclosure, Distribution
from .events import DECISION_EVENT_KINDS, CaseEvent, EventKind
from .outcomes import CriminalStage, LegalOutcome, OutcomeKind
from .proposals import GroupProposal, GroupRule, ProposalStatus
from .referrals import AcknowledgedVia, Referral

__all__ = [
    "AcknowledgedVia", "Referral",
    "AbuseForm", "AbuserRelation", "Case", "CaseEvent", "CaseTransfer", "Category", "Channel", "ClockRule",
    "Confidentiality", "CriminalStage", "DECISION_EVENT_KINDS", "Deadline", "Delegation", "Disclosure", "Distribution",
    "EventKind", "FeedbackMeans", "GroupProposal", "GroupRule", "INTAKE_FAMILY_FIELDS", "LegalOutcome", "Notification",
    "OPEN_STATUSES", "OutcomeKind", "ProposalStatus", "RapidAlert", "RapidReportRule", "STATUS_FLOW", "Setting",
    "Status", "WorkdayAdjustment",
]  # fmt: skip
