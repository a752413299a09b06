"""Forms of the plan pages: they only parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from treem.core.forms import VNDateField
from treem.units.models import Level, Unit

from .models import Agency, EventKind, FundingSource, Programme, RecommendationStatus, Section, TaskStatus


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ProgressForm(forms.Form):
    on = VNDateField(label=_("As of"))
    status = forms.ChoiceField(label=_("Status"), choices=TaskStatus.choices)
    percent = forms.IntegerField(label=_("Percent done"), min_value=0, max_value=100)
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    difficulties = forms.CharField(
        label=_("Difficulties and proposals"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    evidence = MultipleFileField(
        label=_("Evidence files"), required=False, help_text=_("PDF, pictures, Word or Excel files; 10 MB each at most")
    )


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    number = forms.CharField(label=_("Document number"), max_length=60, required=False)
    title = forms.CharField(label=_("Title"), max_length=400)
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none(), required=False)

    def __init__(self, *args: Any, programmes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]


class SectionForm(forms.Form):
    number = forms.CharField(label=_("Item number"), max_length=20, required=False)
    title = forms.CharField(label=_("Title"), max_length=500)


class ApproveForm(forms.Form):
    approved_on = VNDateField(label=_("Approved on"))
    approved_by = forms.CharField(label=_("Signed by"), max_length=200, required=False)


class TaskForm(forms.Form):
    section = forms.ModelChoiceField(label=_("Section"), queryset=Section.objects.none())
    number = forms.CharField(label=_("Item number"), max_length=20, required=False)
    title = forms.CharField(label=_("Task"), max_length=600, widget=forms.Textarea(attrs={"rows": 2}))
    agency = forms.ModelChoiceField(label=_("Assigned agency"), queryset=Agency.objects.none(), required=False)
    assignee_unit = forms.ModelChoiceField(label=_("Or assigned unit"), queryset=Unit.objects.none(), required=False)
    deadline = VNDateField(label=_("Deadline"))
    expected_result = forms.CharField(
        label=_("Expected result"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    budget = forms.IntegerField(label=_("Budget (VND)"), min_value=0, required=False)
    funding_source = forms.ChoiceField(
        label=_("Source of funds"), choices=[("", "—"), *FundingSource.choices], required=False
    )
    event_kind = forms.ModelChoiceField(
        label=_("Yearly event"), queryset=EventKind.objects.all(), required=False, empty_label=_("Not an event")
    )
    theme = forms.CharField(label=_("Theme of the year"), max_length=400, required=False)
    event_date = VNDateField(label=_("Date of the event"), required=False)

    def __init__(self, *args: Any, plan: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = plan.sections.all()  # type: ignore[attr-defined]
        self.fields["agency"].queryset = Agency.objects.filter(  # type: ignore[attr-defined]
            unit_path__path_prefix=plan.unit_path, is_active=True
        ).select_related("kind")
        self.fields["assignee_unit"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            path__path_prefix=plan.unit_path, is_active=True, level__in=(Level.DISTRICT, Level.COMMUNE)
        ).order_by("path")


class EventReportForm(forms.Form):
    held_on = VNDateField(label=_("Held on"), required=False)
    children_count = forms.IntegerField(label=_("Children taking part"), min_value=0, initial=0)
    adults_count = forms.IntegerField(label=_("Adults taking part"), min_value=0, initial=0)
    narrative = forms.CharField(label=_("Report"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


class RecommendationForm(forms.Form):
    text = forms.CharField(label=_("Children's recommendation"), widget=forms.Textarea(attrs={"rows": 2}))
    addressed_to = forms.CharField(label=_("Addressed to"), max_length=300, required=False)


class FollowUpForm(forms.Form):
    follow_up = forms.CharField(label=_("Follow-up"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=RecommendationStatus.choices)
