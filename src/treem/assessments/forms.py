from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from treem.core.forms import VNDateField

from .models import Category, Item


class StartForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2019, max_value=2100)


class ScoreForm(forms.Form):
    points = forms.IntegerField(label=_("Points"), required=False, min_value=0)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(self, *args: Any, item: Item, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["points"].widget.attrs.update({"max": item.max_points, "min": 0})


class CategoryForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Commune category"), queryset=Category.objects.all(), empty_label=None)


class EvidenceForm(forms.Form):
    item = forms.ModelChoiceField(label=_("For the item"), queryset=Item.objects.all(), required=False)
    file = forms.FileField(label=_("File"))


class AppraisalForm(forms.Form):
    agree = forms.TypedChoiceField(
        label=_("Appraisal"), coerce=lambda v: v == "yes", widget=forms.RadioSelect,
        choices=[("yes", _("Agree: send for the decision")), ("no", _("Return to the commune"))],
    )  # fmt: skip
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(forms.Form):
    number = forms.CharField(label=_("Decision number"), max_length=60)
    date = VNDateField(label=_("Decision date"))
