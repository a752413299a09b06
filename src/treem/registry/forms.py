"""Registry forms: parse and validate input (messages in Vietnamese through i18n), no business rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

from treem.core.dates import age_on, today_vn
from treem.core.errors import CleanError
from treem.core.ethnicity import OFFICIAL_NAMES, clean_ethnicity
from treem.core.forms import DATE_HELP, VNDateField, choice_field, model_choice_field, set_option_labels
from treem.core.ids import check_personal_id, normalize_personal_id
from treem.core.text import clean_name, nfc
from treem.units.models import Level, Unit

from .models import (
    YOUNG_PERSON_AGE_LIMIT,
    Child,
    ChildStatus,
    CircumstanceKind,
    CircumstanceSubtype,
    CircumstanceType,
    DatePrecision,
    DeathCause,
    Disability,
    Household,
    IncidentKind,
    IncidentOutcome,
    IncidentPlace,
    Nutrition,
    PovertyStatus,
    Relation,
    SchoolStatus,
    Sex,
    Supervision,
)
from .services.circumstances import disability_conflict, disability_of_subtype


def _clean_person_name(value: str, *, required: bool = True) -> str:
    if not value and not required:
        return ""
    try:
        return clean_name(value)
    except CleanError as exc:
        raise forms.ValidationError(exc.message, code=exc.code) from exc


def village_choices(commune: Unit) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=Unit.objects.filter(parent=commune, level=Level.VILLAGE, is_active=True).order_by("name"),
        required=False,
        label=_("Village"),
        empty_label=_("— not in a village —"),
    )


class HouseholdForm(forms.ModelForm):
    class Meta:
        model = Household
        fields = ["village", "head_name", "address", "code", "phone", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, commune: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["village"] = village_choices(commune)
        self.fields["head_name"].required = True

    def clean_head_name(self) -> str:
        return _clean_person_name(self.cleaned_data["head_name"])

    def clean_address(self) -> str:
        return nfc(self.cleaned_data.get("address", ""))


class ChildForm(forms.ModelForm):
    date_of_birth = VNDateField(label=_("Date of birth"), help_text=DATE_HELP)
    birth_registration_date = VNDateField(label=_("Birth registration date"), required=False, help_text=DATE_HELP)
    ethnicity = forms.ChoiceField(label=_("Ethnicity"), choices=[("", "—"), *[(n, n) for n in OFFICIAL_NAMES]])
    personal_id = forms.CharField(
        label=_("Personal ID number"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )

    class Meta:
        model = Child
        fields = [
            "full_name", "sex", "date_of_birth", "dob_precision", "ethnicity", "personal_id", "birth_registered",
            "birth_registration_date", "health_insurance_number", "school_status", "disability", "nutrition", "note",
        ]  # fmt: skip
        widgets = {
            "note": forms.Textarea(attrs={"rows": 2}),
            "sex": forms.RadioSelect,
            "birth_registered": forms.NullBooleanSelect,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "sex").choices = Sex.choices
        choice_field(self, "dob_precision").choices = DatePrecision.choices
        choice_field(self, "school_status").choices = SchoolStatus.choices
        choice_field(self, "disability").choices = Disability.choices
        choice_field(self, "nutrition").choices = Nutrition.choices

    def clean_full_name(self) -> str:
        return _clean_person_name(self.cleaned_data["full_name"])

    def validate_constraints(self) -> None:
        """Not here: an ID already on another record is first shown by the duplicate check (when the record is in
        the user's scope), and the service refuses it with a clear message (see `services.children`)."""

    def clean_ethnicity(self) -> str:
        value = self.cleaned_data.get("ethnicity", "")
        if not value:
            return ""
        try:
            return clean_ethnicity(value)
        except CleanError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from exc

    def clean_personal_id(self) -> str | None:
        try:
            return normalize_personal_id(self.cleaned_data.get("personal_id"))
        except CleanError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from exc

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        dob, pid, sex = data.get("date_of_birth"), data.get("personal_id"), data.get("sex")
        today = today_vn()
        if dob and dob > today:
            self.add_error("date_of_birth", _("The date of birth is in the future."))
        if dob and dob <= today and age_on(dob, today) >= YOUNG_PERSON_AGE_LIMIT:  # by the date, not the year
            self.add_error("date_of_birth", _("This person is over 17: the registry keeps children and young people."))
        if pid:
            for problem in check_personal_id(pid, date_of_birth=dob, sex=sex):
                self.add_error("personal_id", problem.message)
        reg = data.get("birth_registration_date")
        if reg and dob and reg < dob:
            self.add_error("birth_registration_date", _("Registration cannot be before birth."))
        return data


class NewChildForm(ChildForm):
    """A new child, with the parents or caregiver written at the same time."""

    father_name = forms.CharField(label=_("Father's full name"), required=False, max_length=200)
    mother_name = forms.CharField(label=_("Mother's full name"), required=False, max_length=200)
    caregiver_name = forms.CharField(label=_("Other caregiver's full name"), required=False, max_length=200)
    caregiver_relation = forms.ChoiceField(
        label=_("Caregiver's relation"), required=False, choices=[("", "—"), *Relation.choices]
    )

    def clean_father_name(self) -> str:
        return _clean_person_name(self.cleaned_data.get("father_name", ""), required=False)

    def clean_mother_name(self) -> str:
        return _clean_person_name(self.cleaned_data.get("mother_name", ""), required=False)

    def clean_caregiver_name(self) -> str:
        return _clean_person_name(self.cleaned_data.get("caregiver_name", ""), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("caregiver_name") and not data.get("caregiver_relation"):
            self.add_error("caregiver_relation", _("Say how the caregiver is related to the child."))
        return data


class CircumstanceForm(forms.Form):
    """A group or risk from a date. The sub-types offered are the chosen group's (reloaded by HTMX when the group
    changes); group d on a profile that records no disability asks for the degree to update the profile."""

    KEEP_PROFILE = "keep"

    type = forms.ModelChoiceField(queryset=CircumstanceType.objects.none(), label=_("Group or risk"))
    subtype = forms.ModelChoiceField(
        queryset=CircumstanceSubtype.objects.none(), required=False, label=_("Sub-type"),
        error_messages={"invalid_choice": _("The sub-type does not belong to this group.")},
    )  # fmt: skip
    valid_from = VNDateField(label=_("From"), help_text=DATE_HELP)
    valid_to = VNDateField(label=_("To"), required=False, help_text=_("Leave empty while it lasts"))
    source = forms.CharField(label=_("Source"), required=False, max_length=200)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    disability = forms.ChoiceField(label=_("Degree of disability (child's profile)"), required=False,
                                   widget=forms.HiddenInput)  # fmt: skip

    def __init__(self, *args: Any, child: Child, subtypes_url: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.child = child
        # Case-derived groups (abuse: i, k, l, m) are case data, recorded by their case, never typed in here.
        types = CircumstanceType.objects.filter(is_active=True, confidential=False)
        type_field = model_choice_field(self, "type")
        type_field.queryset = types.order_by("-kind", "sort_order")
        type_field.help_text = _("Groups that come from abuse are recorded by their case.")
        if subtypes_url:  # the sub-type list follows the group without a page reload
            type_field.widget.attrs.update(
                {"hx-get": subtypes_url, "hx-target": "#id_subtype", "hx-trigger": "change", "hx-swap": "innerHTML"}
            )
        model_choice_field(self, "subtype").queryset = subtypes_of(self._chosen_type())
        set_option_labels(
            self, "type", lambda t: f"{t.code}. {t.name}" if t.kind == CircumstanceKind.SPECIAL else f"⚠ {t.name}"
        )
        set_option_labels(self, "subtype", subtype_label)
        self.degrees: list[tuple[str, Any]] = [
            ("", "—"), (self.KEEP_PROFILE, _("Keep the profile as it is")),
            *[(value, label) for value, label in Disability.choices if value],
        ]  # fmt: skip
        choice_field(self, "disability").choices = self.degrees

    def _chosen_type(self) -> str | None:
        value = (self.data.get("type") if self.is_bound else self.initial.get("type")) or ""
        return str(getattr(value, "pk", value)) or None

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("The end date is before the start date."))
        sub, typ = data.get("subtype"), data.get("type")
        if sub and typ and sub.type_id != typ.pk:
            self.add_error("subtype", _("The sub-type does not belong to this group."))
        self.profile_update = None
        if typ is not None and disability_conflict(self.child, typ):
            degree = disability_of_subtype(sub) if sub is not None and sub.type_id == typ.pk else None
            choice = data.get("disability") or degree
            if not choice:  # warn, and offer the update: the degree now shows as a choice
                self.fields["disability"].widget = forms.Select(choices=self.degrees)
                self.add_error("disability", _("Choose the degree written on the disability certificate to update "
                                               "the profile, or keep the profile as it is."))  # fmt: skip
            elif choice in Disability.values:
                self.profile_update = choice
        return data

    @property
    def asks_disability(self) -> bool:
        """True when the warning is shown: group d without a degree while the profile records no disability."""
        return not self.fields["disability"].widget.is_hidden


def subtypes_of(type_pk: str | int | None) -> Any:
    """The sub-types of one group in natural order (c.1, c.2, … c.10); none before a group is chosen."""
    if not type_pk or not str(type_pk).isdigit():
        return CircumstanceSubtype.objects.none()
    return (
        CircumstanceSubtype.objects.filter(type_id=int(type_pk)).select_related("type").order_by(Length("code"), "code")
    )


def subtype_label(s: CircumstanceSubtype) -> str:
    return f"{s.type.code}.{s.code} {s}"


class CircumstanceEndForm(forms.Form):
    valid_to = VNDateField(label=_("Ended on"), help_text=DATE_HELP)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ChildStatus.choices)
    on = VNDateField(label=_("Since"), help_text=DATE_HELP)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
    death_cause = forms.ChoiceField(
        label=_("Cause of death"), required=False, choices=[("", "—"), *DeathCause.choices[1:]],
        help_text=_("Only when the child died"),
    )  # fmt: skip


class IncidentForm(forms.Form):
    """An injury or accident of a child."""

    occurred_on = VNDateField(label=_("Date"), help_text=DATE_HELP)
    occurred_time = forms.TimeField(
        label=_("Time"), required=False, help_text=_("hh:mm, if known"),
        widget=forms.TimeInput(attrs={"placeholder": "hh:mm", "inputmode": "numeric"}),
    )  # fmt: skip
    kind = forms.ModelChoiceField(label=_("Kind"), queryset=IncidentKind.objects.filter(is_active=True))
    place = forms.ChoiceField(label=_("Where it happened"), choices=IncidentPlace.choices)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=IncidentOutcome.choices,
        help_text=_("Death: the child is recorded as deceased on that date"),
    )  # fmt: skip
    activity = forms.CharField(label=_("What the child was doing"), required=False, max_length=200)
    supervision = forms.ChoiceField(label=_("Who was watching the child"), required=False, choices=Supervision.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class MoveForm(forms.Form):
    commune = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("Commune"))
    village = forms.ModelChoiceField(queryset=Unit.objects.none(), required=False, label=_("Village"))

    def __init__(self, *args: Any, communes: Any, villages: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "commune").queryset = communes
        model_choice_field(self, "village").queryset = villages
        set_option_labels(self, "village", lambda v: f"{v.name} ({v.parent.name})")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        village, commune = data.get("village"), data.get("commune")
        if village and commune and village.parent_id != commune.pk:
            self.add_error("village", _("The village does not belong to this commune."))
        return data


class PovertyForm(forms.Form):
    """A new poverty status from a date; left empty, the household's periods stay as they are."""

    status = forms.ChoiceField(
        label=_("Poverty status"), choices=[("", _("Not poor")), *PovertyStatus.choices], required=False
    )
    since = VNDateField(label=_("Since"), help_text=DATE_HELP, required=False)
    source = forms.CharField(label=_("Decision or source"), required=False, max_length=200)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if (data.get("status") or data.get("source")) and not data.get("since") and "since" not in self.errors:
            self.add_error("since", _("Give the date from which the status applies."))
        return data

    @property
    def change(self) -> dict[str, Any] | None:
        """The new status (None: not poor), its start and source; None when the form was left empty."""
        data = self.cleaned_data
        if not data.get("since"):
            return None
        return {"status": data.get("status") or None, "since": data["since"], "source": data.get("source", "")}
