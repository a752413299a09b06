"""Case forms: parse what a worker types for Mẫu 01–07 into the case's fields and its events' `data`.

No business rule lives here (the services check moves, permissions and required content); the forms only turn
text into values and say what is missing. Each step form knows the `data` it records (`payload()`); the keys are
the ones the documents (`documents.py`) print.

A package by sub-domain; every public name is here, so `from treem.cases.forms import X` works as it did for the
single module.
"""

from .base import HOUR_FORMATS, StepForm, VNTimeField, WhenForm, textarea
from .disclosures import DisclosureForm
from .events import EVENT_KINDS, EventForm
from .intake import IntakeForm
from .outcomes import HelplineFeedbackForm, OutcomeForm
from .plan import PlanForm, PlanRowForm, PlanRowFormSet, plan_initial
from .steps import (
    ASSESSMENT_ITEMS,
    CONCLUSIONS,
    INITIAL_FACTORS,
    LEVELS,
    REPLAN_TITLE,
    REVIEW_FACTORS,
    STEP_FORMS,
    STEP_TITLES,
    ApprovalForm,
    AssessmentForm,
    CloseDecisionForm,
    CloseForm,
    CloseWithReviewForm,
    ConferenceForm,
    EmergencyForm,
    ImplementationForm,
    InitialAssessmentForm,
    RefuseClosureForm,
    ReviewForm,
    VerificationForm,
)
from .transfers import AssignForm, TransferForm

__all__ = [
    "ASSESSMENT_ITEMS", "ApprovalForm", "AssessmentForm", "AssignForm", "CONCLUSIONS", "CloseDecisionForm", "CloseForm",
    "CloseWithReviewForm", "ConferenceForm", "DisclosureForm", "EVENT_KINDS", "EmergencyForm", "EventForm",
    "HOUR_FORMATS", "HelplineFeedbackForm", "INITIAL_FACTORS", "ImplementationForm", "InitialAssessmentForm",
    "IntakeForm", "LEVELS", "OutcomeForm", "PlanForm", "PlanRowForm", "PlanRowFormSet", "REPLAN_TITLE",
    "REVIEW_FACTORS", "RefuseClosureForm", "ReviewForm", "STEP_FORMS", "STEP_TITLES", "StepForm", "TransferForm",
    "VNTimeField", "VerificationForm", "WhenForm", "plan_initial", "textarea",
]  # fmt: skip
