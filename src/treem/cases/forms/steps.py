"""The steps' forms (Mẫu 02–07, the conference minutes, the closure) and their titles."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from treem.core.text import NOTE_MAX_LENGTH

from ..models import AbuserRelation, Status
from .base import StepForm, WhenForm, textarea
from .plan import PlanForm

LEVELS = [("high", _("High")), ("medium", _("Medium")), ("low", _("Low"))]

# Mẫu 02: the initial risk and harm factors (the official scale was not retrieved; these follow Mẫu 06).
INITIAL_FACTORS = [
    ("harm", _("How serious the harm is")),
    ("danger", _("Danger to the child's life, health or dignity now")),
    ("access", _("The suspected abuser's access to the child")),
    ("obstacles", _("Obstacles to safety where the child lives")),
    ("capacity", _("The child's capacity to protect themself")),
]

# Mẫu 03: the eight items of Nghị định 56/2017 Art. 27.1 (a, b, c, d, đ, e, g, h).
ASSESSMENT_ITEMS = [
    ("a", _("a) Physical, psychological and emotional state")),
    ("b", _("b) Family situation and the parents' capacity to protect the child")),
    ("c", _("c) Factors for (repeated) abuse or for continuing special circumstances")),
    ("d", _("d) Schooling and the child's capacity to protect themself")),
    ("dd", _("đ) Safety and support in the community")),
    ("e", _("e) Needs: health, social assistance, education or training, legal aid, psychological and other services")),
    ("g", _("g) The child's views")),
    ("h", _("h) The parents' or caregiver's views (unless they are the suspected abuser)")),
]

# Mẫu 06: a) the level of harm, b) the child's capacity to protect themself and recover; each High/Medium/Low.
REVIEW_FACTORS = [
    ("harm", _("a.1 Is the harm still serious?")),
    ("access", _("a.2 The abuser's access to the child")),
    ("obstacles", _("a.3 Obstacles to safety in the care environment")),
    ("self_protection", _("b.1 The child's capacity to protect themself")),
    ("recovery", _("b.2 The child's physical and psychological recovery")),
]

CONCLUSIONS = [("close", _("The child is safe and stable: close the case")), ("replan", _("Make a new plan"))]


class VerificationForm(StepForm):
    note_label = _("What the verification found")
    note_required = True
    # What intake did not know: the emergency clock re-checks it (NĐ 56 Art. 31.1).
    in_danger = forms.BooleanField(label=_("life, health or dignity seriously threatened"), required=False)
    serious = forms.BooleanField(label=_("death or grave injury"), required=False)
    abuser_relation = forms.ChoiceField(label=_("suspected abuser"), choices=AbuserRelation.choices, required=False)

    def data_fields(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in ("in_danger", "serious", "abuser_relation") if self.cleaned_data[k]}


class ImplementationForm(StepForm):
    note_label = _("Services started, who was informed")


class CloseForm(StepForm):
    """The worker proposes the closure (NĐ 56 Art. 30.1b); before an assessment: why it is not a protection case."""

    note_label = _("Why the case should be closed")
    note_required = True

    def data_fields(self) -> dict[str, Any]:
        return {"reason": self.cleaned_data.get("note", "")}


class CloseDecisionForm(StepForm):
    """The chairman's decision to close the case (Art. 30.1c)."""

    note_label = _("Note")
    decision_no = forms.CharField(label=_("Decision number"), max_length=40, required=False)

    def data_fields(self) -> dict[str, Any]:
        return {"decision_no": self.cleaned_data.get("decision_no", "")}


class RefuseClosureForm(WhenForm):
    note = forms.CharField(label=_("Why the case is not closed"), widget=textarea(3), max_length=NOTE_MAX_LENGTH)


class _FactorForm(StepForm):
    factors: ClassVar[list[tuple[str, Any]]] = []
    key: ClassVar[str] = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in self.factors:
            self.fields[f"f_{name}"] = forms.ChoiceField(label=label, choices=LEVELS, widget=forms.RadioSelect)
        self.order_fields(["on", "hour", *[f"f_{n}" for n, _label in self.factors]])

    def levels(self) -> dict[str, str]:
        return {name: self.cleaned_data[f"f_{name}"] for name, _label in self.factors}


class InitialAssessmentForm(_FactorForm):
    """Mẫu 02."""

    factors = INITIAL_FACTORS
    note_label = _("Summary of the initial assessment")
    note_required = True

    def data_fields(self) -> dict[str, Any]:
        return {"risk": self.levels()}


class EmergencyForm(StepForm):
    """Emergency measures; a temporary separation (Mẫu 07) is then recorded as an event."""

    note_label = _("Emergency measures taken (police, first aid, safe place…)")
    note_required = True
    decided_by = forms.CharField(label=_("Decided by"), max_length=200, required=False)

    def data_fields(self) -> dict[str, Any]:
        return {"decided_by": self.cleaned_data.get("decided_by", "")}


class AssessmentForm(StepForm):
    """Mẫu 03: the eight items of Art. 27.1."""

    note_label = _("Conclusion")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in ASSESSMENT_ITEMS:
            self.fields[f"i_{key}"] = forms.CharField(label=label, required=False, widget=textarea(2))
        self.order_fields(["on", "hour", *[f"i_{k}" for k, _label in ASSESSMENT_ITEMS]])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not any(data.get(f"i_{k}") for k, _label in ASSESSMENT_ITEMS):
            self.add_error(None, _("Fill in at least one item of the assessment."))
        return data

    def data_fields(self) -> dict[str, Any]:
        return {"assessment": {k: self.cleaned_data.get(f"i_{k}", "") for k, _label in ASSESSMENT_ITEMS}}


class ConferenceForm(StepForm):
    """The case conference minutes (biên bản), chaired by the commune chairman."""

    note_label = _("Other notes")
    chair = forms.CharField(label=_("Chaired by"), max_length=200, required=False)
    participants = forms.CharField(label=_("Participants"), widget=textarea(3))
    decisions = forms.CharField(label=_("Needs identified and decisions"), widget=textarea(4))

    def data_fields(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in ("chair", "participants", "decisions")}


class ApprovalForm(StepForm):
    """Mẫu 05: the chairman's approval decision."""

    note_label = _("Note")
    decision_no = forms.CharField(label=_("Decision number"), max_length=40, required=False)

    def data_fields(self) -> dict[str, Any]:
        return {"decision_no": self.cleaned_data.get("decision_no", "")}


class ReviewForm(_FactorForm):
    """Mẫu 06: each factor High / Medium / Low, and the conclusion (close, or plan again)."""

    factors = REVIEW_FACTORS
    note_label = _("Summary of the review")
    conclusion = forms.ChoiceField(label=_("Conclusion"), choices=CONCLUSIONS, widget=forms.RadioSelect)

    def data_fields(self) -> dict[str, Any]:
        return {"review": self.levels(), "conclusion": self.cleaned_data["conclusion"]}


class CloseWithReviewForm(ReviewForm):
    """Proposing the closure of a case under review whose Mẫu 06 was not recorded yet: the review comes with it."""

    note_label = _("Why the case should be closed")
    note_required = True


STEP_FORMS: dict[str, type[StepForm]] = {
    Status.VERIFICATION: VerificationForm,
    Status.INITIAL_ASSESSMENT: InitialAssessmentForm,
    Status.EMERGENCY: EmergencyForm,
    Status.COMPREHENSIVE_ASSESSMENT: AssessmentForm,
    Status.CASE_CONFERENCE: ConferenceForm,
    Status.PLAN_DRAFTED: PlanForm,
    Status.PLAN_APPROVED: ApprovalForm,
    Status.IMPLEMENTATION: ImplementationForm,
    Status.REVIEW: ReviewForm,
    Status.CLOSURE_PROPOSED: CloseForm,
    Status.CLOSED: CloseDecisionForm,
}

STEP_TITLES = {
    Status.VERIFICATION: _("Record the verification"),
    Status.INITIAL_ASSESSMENT: _("Initial assessment (Form 02)"),
    Status.EMERGENCY: _("Emergency measures (Form 07)"),
    Status.COMPREHENSIVE_ASSESSMENT: _("Comprehensive assessment (Form 03)"),
    Status.CASE_CONFERENCE: _("Case conference minutes"),
    Status.PLAN_DRAFTED: _("Draft the plan (Form 04)"),
    Status.PLAN_APPROVED: _("Approve the plan (Form 05)"),
    Status.IMPLEMENTATION: _("Start implementing the plan"),
    Status.REVIEW: _("Review (Form 06)"),
    Status.CLOSURE_PROPOSED: _("Propose closing the case"),
    Status.CLOSED: _("Decide to close the case"),
}

REPLAN_TITLE = _("Revise the plan (Form 04)")
