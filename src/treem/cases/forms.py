"""Case forms: parse what a worker types for Mẫu 01–07 into the case's fields and its events' `data`.

No business rule lives here (the services check moves, permissions and required content); the forms only turn
text into values and say what is missing. Each step form knows the `data` it records (`payload()`); the keys are
the ones the documents (`documents.py`) print.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from treem.core.dates import VN_TZ
from treem.core.forms import DATE_HELP, VNDateField, choice_field, model_choice_field, set_option_labels
from treem.core.text import LONG_TEXT_MAX_LENGTH, NOTE_MAX_LENGTH
from treem.registry.models import Child, Sex

from .calendar import iso_date
from .models import INTAKE_FAMILY_FIELDS, AbuseForm, AbuserRelation, Category, Channel, EventKind, Setting, Status

if TYPE_CHECKING:
    from treem.accounts.models import User
    from treem.units.models import Unit

HOUR_FORMATS = ["%H:%M", "%Hh%M", "%H.%M", "%Hh", "%H:%M:%S"]
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
EVENT_KINDS = [
    EventKind.SERVICE, EventKind.SEPARATION, EventKind.SEPARATION_EXTENDED, EventKind.SEPARATION_END,
    EventKind.PLACEMENT, EventKind.FOLLOW_UP, EventKind.COURT_PETITION, EventKind.SEPARATION_REVIEW, EventKind.NOTE,
    EventKind.CARE_CHANGE,
]  # fmt: skip


def _text(rows: int = 3, **attrs: Any) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, **attrs})


class VNTimeField(forms.TimeField):
    widget = forms.TimeInput(
        format="%H:%M", attrs={"placeholder": "HH:MM", "inputmode": "numeric", "autocomplete": "off"}
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(input_formats=HOUR_FORMATS, **kwargs)


class WhenForm(forms.Form):
    """A date and hour, day first, in Vietnam time; `cleaned_data["at"]` is the aware datetime. Default: now."""

    on = VNDateField(label=_("Date"), help_text=DATE_HELP)
    hour = VNTimeField(label=_("Hour"), help_text=_("HH:MM, 24-hour clock"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        now = timezone.now().astimezone(VN_TZ)
        self.initial.setdefault("on", now.date())
        self.initial.setdefault("hour", now.time().replace(second=0, microsecond=0))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        on, hour = data.get("on"), data.get("hour")
        if on and hour:
            at = dt.datetime.combine(on, hour, tzinfo=VN_TZ)
            if at > timezone.now() + dt.timedelta(minutes=5):
                self.add_error("hour", _("This time is in the future."))
            data["at"] = at
        return data


# --- Mẫu 01: intake ------------------------------------------------------------------------------------------


class IntakeForm(WhenForm):
    channel = forms.ChoiceField(label=_("Received through"), choices=Channel.choices)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices, widget=forms.RadioSelect)
    abuse_forms = forms.MultipleChoiceField(
        label=_("Forms of abuse"), choices=AbuseForm.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    setting = forms.ChoiceField(label=_("Where it happened"), choices=[("", "—"), *Setting.choices], required=False)
    description = forms.CharField(label=_("What happened"), widget=_text(4), max_length=LONG_TEXT_MAX_LENGTH)
    commune: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(
        queryset=None, label=_("Commune where it happened"), required=False
    )
    child = forms.ModelChoiceField(queryset=Child.objects.none(), required=False, label=_("Child in the registry"))
    child_name = forms.CharField(label=_("Child's name as reported"), max_length=200, required=False)
    child_sex = forms.ChoiceField(
        label=_("Sex"), choices=[("", _("Unknown")), *Sex.choices], required=False, widget=forms.RadioSelect
    )
    child_age_estimate = forms.IntegerField(label=_("Estimated age"), min_value=0, max_value=17, required=False)
    abuser_relation = forms.ChoiceField(label=_("Suspected abuser"), choices=AbuserRelation.choices, required=False)
    in_danger = forms.BooleanField(
        label=_("The child's life, health or dignity is seriously threatened"), required=False
    )
    serious = forms.BooleanField(label=_("Death or grave injury"), required=False)
    # Mẫu 01 A.2: the parents, the family, the likely consequence without help, what was already done.
    father_name = forms.CharField(label=_("Father's name"), max_length=200, required=False)
    father_age = forms.IntegerField(label=_("Father's age"), min_value=10, max_value=120, required=False)
    father_occupation = forms.CharField(label=_("Father's occupation"), max_length=200, required=False)
    mother_name = forms.CharField(label=_("Mother's name"), max_length=200, required=False)
    mother_age = forms.IntegerField(label=_("Mother's age"), min_value=10, max_value=120, required=False)
    mother_occupation = forms.CharField(label=_("Mother's occupation"), max_length=200, required=False)
    family_situation = forms.CharField(
        label=_("Family situation"), widget=_text(2), max_length=NOTE_MAX_LENGTH, required=False
    )
    likely_consequence = forms.CharField(
        label=_("Likely consequence if the child is not helped"), widget=_text(2), max_length=NOTE_MAX_LENGTH,
        required=False,
    )  # fmt: skip
    measures_taken = forms.CharField(
        label=_("Measures already taken before the intake"), widget=_text(2), max_length=NOTE_MAX_LENGTH,
        required=False,
    )  # fmt: skip
    informant_consents = forms.BooleanField(label=_("The informant agrees to give their identity"), required=False)
    informant_name = forms.CharField(label=_("Informant's name"), max_length=200, required=False)
    informant_contact = forms.CharField(label=_("Informant's phone or address"), max_length=200, required=False)

    def __init__(self, *args: Any, children: QuerySet[Child], communes: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "child").queryset = children
        if communes is None:
            del self.fields["commune"]
        else:
            model_choice_field(self, "commune").queryset = communes
            self.fields["commune"].required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("child") and not data.get("child_name") and data.get("child_age_estimate") is None:
            self.add_error(None, _("Choose the child in the registry, or describe the child: name as reported or age."))
        if data.get("category") == Category.ABUSED and not data.get("abuse_forms"):
            self.add_error("abuse_forms", _("Say which form of abuse was reported."))
        if data.get("informant_consents") and not (data.get("informant_name") or data.get("informant_contact")):
            self.add_error("informant_name", _("Write the informant's name or contact, or untick the consent."))
        return data

    def family(self) -> dict[str, Any]:
        """The Mẫu 01 family part, as `services.case_open(family=…)` takes it."""
        return {name: self.cleaned_data.get(name) for name in INTAKE_FAMILY_FIELDS}


# --- the steps -----------------------------------------------------------------------------------------------


class StepForm(WhenForm):
    """A move to the next step: when it happened, a note, and the form's content as `data`."""

    note_label: ClassVar[Any] = _("Note")
    note_required: ClassVar[bool] = False
    note = forms.CharField(required=False, widget=_text(3), max_length=NOTE_MAX_LENGTH)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].label = self.note_label
        self.fields["note"].required = self.note_required
        self.order_fields([*(name for name in self.fields if name != "note"), "note"])

    def data_fields(self) -> dict[str, Any]:
        return {}

    def payload(self) -> tuple[str, dict[str, Any]]:
        return self.cleaned_data.get("note", ""), self.data_fields()


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
    note = forms.CharField(label=_("Why the case is not closed"), widget=_text(3), max_length=NOTE_MAX_LENGTH)


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
            self.fields[f"i_{key}"] = forms.CharField(label=label, required=False, widget=_text(2))
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
    participants = forms.CharField(label=_("Participants"), widget=_text(3))
    decisions = forms.CharField(label=_("Needs identified and decisions"), widget=_text(4))

    def data_fields(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in ("chair", "participants", "decisions")}


class PlanRowForm(forms.Form):
    service = forms.CharField(label=_("Service or task"), max_length=300)
    responsible = forms.CharField(label=_("Responsible person or agency"), max_length=200)
    provider = forms.CharField(label=_("Service provider"), max_length=200, required=False)
    # NĐ 56 Art. 28.3a and 28.3d: each service or task has its start and expected end dates and its cost estimate.
    start = VNDateField(label=_("Start"))
    end = VNDateField(label=_("Expected end"))
    cost = forms.IntegerField(label=_("Cost (VND)"), min_value=0, help_text=_("0 if free"))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end date is before the start date."))
        return data

    def row(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "service": d["service"], "responsible": d["responsible"], "provider": d.get("provider", ""),
            "start": d["start"].isoformat() if d.get("start") else "",
            "end": d["end"].isoformat() if d.get("end") else "", "cost": d.get("cost"),
        }  # fmt: skip


PlanRowFormSet = forms.formset_factory(PlanRowForm, extra=3, min_num=1, validate_min=True, max_num=30, can_delete=True)


def plan_initial(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A recorded plan's rows as formset initial data (to revise a plan)."""
    out = []
    for r in rows:
        out.append({
            **{k: r.get(k, "") for k in ("service", "responsible", "provider")},
            "start": iso_date(r.get("start")), "end": iso_date(r.get("end")), "cost": r.get("cost"),
        })  # fmt: skip
    return out


class PlanForm(StepForm):
    """Mẫu 04: the goal and the rows (services and tasks, responsible people, providers, dates, costs)."""

    note_label = _("Notes")
    goal = forms.CharField(label=_("Goal of the support and intervention"), widget=_text(2), required=False)

    def __init__(self, *args: Any, rows: list[dict[str, Any]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        data = args[0] if args else kwargs.get("data")
        self.rows = PlanRowFormSet(data, prefix="plan", initial=plan_initial(rows or []))

    def is_valid(self) -> bool:
        return all([super().is_valid(), self.rows.is_valid()])

    def data_fields(self) -> dict[str, Any]:
        rows = [f.row() for f in self.rows.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        return {"goal": self.cleaned_data.get("goal", ""), "plan": rows}


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


# --- events and workers --------------------------------------------------------------------------------------


class EventForm(WhenForm):
    kind = forms.ChoiceField(label=_("What happened"), choices=[(k.value, k.label) for k in EVENT_KINDS])
    where = forms.CharField(
        label=_("Place, service provider or carer"), max_length=200, required=False,
        help_text=_("For a separation or a placement: where the child is and who cares for them"),
    )  # fmt: skip
    note = forms.CharField(label=_("Details"), required=False, widget=_text(3), max_length=NOTE_MAX_LENGTH)
    # A separation's period (Mẫu 07) and an extension's decision (NĐ 56 Art. 32.3).
    until = VNDateField(label=_("Separated until"), required=False, help_text=_("For a separation: the decided end"))
    decision_no = forms.CharField(label=_("Extension: decision number"), max_length=40, required=False)
    decision_date = VNDateField(label=_("Extension: decision date"), required=False)
    authority = forms.CharField(label=_("Extension: decided by (authority)"), max_length=200, required=False)
    new_end = VNDateField(label=_("Extension: new end"), required=False)

    def __init__(self, *args: Any, kinds: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["kind", "on", "hour", "where", "until", "decision_no", "decision_date", "authority",
                           "new_end", "note"])  # fmt: skip
        if kinds is not None:  # who records which events (the chairman's decisions, the workers' events)
            choice_field(self, "kind").choices = [(k.value, k.label) for k in EVENT_KINDS if k in kinds]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") in (EventKind.NOTE, EventKind.SEPARATION_REVIEW) and not data.get("note"):
            self.add_error("note", _("Write the note."))
        return data

    def payload(self) -> dict[str, Any]:
        d = self.cleaned_data
        out: dict[str, Any] = {"where": d["where"]} if d.get("where") else {}
        if d.get("kind") == EventKind.SEPARATION and d.get("until"):
            out["until"] = d["until"].isoformat()
        if d.get("kind") == EventKind.SEPARATION_EXTENDED:
            for key in ("decision_no", "decision_date", "authority", "new_end"):
                value = d.get(key)
                out[key] = value.isoformat() if isinstance(value, dt.date) else (value or "")
        return out


class AssignForm(forms.Form):
    worker: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        queryset=None, label=_("Assign a worker"), empty_label="—"
    )

    def __init__(self, *args: Any, workers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "worker").queryset = workers
        set_option_labels(
            self,
            "worker",
            lambda u: (
                f"{u.get_full_name() or u.username} · {u.role.name if u.role else ''} · {u.unit.name if u.unit else ''}"
            ),
        )


# --- disclosures outside the case team (Luật Trẻ em Art. 6.11, NĐ 56 Art. 24, 36) ------------------------------


class DisclosureForm(forms.Form):
    form_number = forms.ChoiceField(label=_("Form given"), required=False)
    recipient = forms.CharField(label=_("Given to (person and agency)"), max_length=200)
    purpose = forms.CharField(label=_("Purpose"), max_length=500, widget=_text(2))
    disclosed_on = VNDateField(label=_("Date given"), help_text=DATE_HELP)
    parent_consent_name = forms.CharField(label=_("Parent or guardian who consented"), max_length=200, required=False)
    parent_consent_on = VNDateField(label=_("Date of the parent's or guardian's consent"), required=False)
    child_consent_on = VNDateField(
        label=_("Date of the child's consent"), required=False, help_text=_("Required when the child is 7 or older")
    )

    def __init__(self, *args: Any, form_choices: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "form_number").choices = [("", _("Information, no form")), *form_choices]
        self.initial.setdefault("disclosed_on", timezone.now().astimezone(VN_TZ).date())


class TransferForm(WhenForm):
    """Luật Trẻ em Art. 52.2: the case goes to the commune where the child now lives, with its history."""

    to_commune: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, label=_("Commune where the child now lives")
    )
    reason = forms.CharField(label=_("Why the case is transferred"), widget=_text(3), max_length=NOTE_MAX_LENGTH)

    def __init__(self, *args: Any, communes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "to_commune").queryset = communes
        set_option_labels(self, "to_commune", lambda u: f"{u.name} · {u.parent.name if u.parent else ''}")
        self.order_fields(["to_commune", "reason", "on", "hour"])
