"""Mẫu 01: the intake."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from treem.core.forms import model_choice_field
from treem.core.text import LONG_TEXT_MAX_LENGTH, NOTE_MAX_LENGTH
from treem.registry.models import Child, Sex

from ..models import INTAKE_FAMILY_FIELDS, AbuseForm, AbuserRelation, Category, Channel, Setting
from .base import WhenForm, textarea

if TYPE_CHECKING:
    from treem.units.models import Unit


class IntakeForm(WhenForm):
    channel = forms.ChoiceField(label=_("Received through"), choices=Channel.choices)
    helpline_ref = forms.CharField(
        label=_("Helpline 111 reference"), max_length=40, required=False,
        help_text=_("The number the 111 helpline gave the call, when it passed the case on"),
    )  # fmt: skip
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices, widget=forms.RadioSelect)
    abuse_forms = forms.MultipleChoiceField(
        label=_("Forms of abuse"), choices=AbuseForm.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    setting = forms.ChoiceField(label=_("Where it happened"), choices=[("", "—"), *Setting.choices], required=False)
    description = forms.CharField(label=_("What happened"), widget=textarea(4), max_length=LONG_TEXT_MAX_LENGTH)
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
        label=_("Family situation"), widget=textarea(2), max_length=NOTE_MAX_LENGTH, required=False
    )
    likely_consequence = forms.CharField(
        label=_("Likely consequence if the child is not helped"), widget=textarea(2), max_length=NOTE_MAX_LENGTH,
        required=False,
    )  # fmt: skip
    measures_taken = forms.CharField(
        label=_("Measures already taken before the intake"), widget=textarea(2), max_length=NOTE_MAX_LENGTH,
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
