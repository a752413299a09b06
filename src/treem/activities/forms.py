"""Forms of the activity pages: they only parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from treem.core.forms import VNDateField
from treem.finance.models import FundingSource
from treem.plans.models import Agency, Task
from treem.units.models import Unit

from .models import ActivityType, MaterialKind


class ActivityForm(forms.Form):
    type = forms.ModelChoiceField(label=_("Type"), queryset=ActivityType.objects.filter(is_active=True))
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    title = forms.CharField(label=_("Title"), max_length=400)
    starts_on = VNDateField(label=_("From"))
    ends_on = VNDateField(label=_("To"), required=False)
    place = forms.CharField(label=_("Venue"), max_length=300, required=False)
    organiser = forms.ModelChoiceField(label=_("Organiser"), queryset=Agency.objects.none(), required=False)
    task = forms.ModelChoiceField(label=_("Plan task"), queryset=Task.objects.none(), required=False)
    children_male = forms.IntegerField(label=_("Boys"), min_value=0, initial=0)
    children_female = forms.IntegerField(label=_("Girls"), min_value=0, initial=0)
    adults_male = forms.IntegerField(label=_("Men"), min_value=0, initial=0)
    adults_female = forms.IntegerField(label=_("Women"), min_value=0, initial=0)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(
        self, *args: Any, units: QuerySet[Unit], organisers: QuerySet[Agency], tasks: QuerySet[Task], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["organiser"].queryset = organisers  # type: ignore[attr-defined]
        self.fields["task"].queryset = tasks  # type: ignore[attr-defined]


class MaterialForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MaterialKind.choices)
    count = forms.IntegerField(label=_("Number"), min_value=1)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class FindingForm(forms.Form):
    text = forms.CharField(label=_("Finding"), widget=forms.Textarea(attrs={"rows": 2}))
    follow_up = forms.CharField(label=_("Follow-up action"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    responsible = forms.CharField(label=_("Responsible"), max_length=300, required=False)
    due_on = VNDateField(label=_("Due on"), required=False)


class FindingDoneForm(forms.Form):
    done_on = VNDateField(label=_("Remedied on"))


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 2}))
    responsible = forms.CharField(label=_("Responsible"), max_length=300, required=False)
    due_on = VNDateField(label=_("Due on"), required=False)


class CostForm(forms.Form):
    source: forms.ModelChoiceField[FundingSource] = forms.ModelChoiceField(
        label=_("Source of funds"), queryset=FundingSource.objects.none()
    )
    amount = forms.IntegerField(label=_("Amount (VND)"), min_value=1)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, sources: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources  # type: ignore[attr-defined]


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("PDF, pictures, Word or Excel files; 10 MB at most"))


class PersonForm(forms.Form):
    """The id of a child (a club member) or of a staff person (a trainee), picked from a search."""

    person = forms.IntegerField(widget=forms.HiddenInput)
