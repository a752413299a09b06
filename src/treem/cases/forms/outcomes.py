"""The legal outcome of an abuse case, and the feedback to the 111 helpline when the case closes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from treem.core.dates import today_vn
from treem.core.forms import DATE_HELP, VNDateField

from ..models import CriminalStage, FeedbackMeans, OutcomeKind


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Handling by the authorities"), choices=OutcomeKind.choices,
                             widget=forms.RadioSelect)  # fmt: skip
    stage = forms.ChoiceField(
        label=_("Stage (criminal prosecution)"), choices=[("", "—"), *CriminalStage.choices], required=False
    )
    decided_on = VNDateField(label=_("Date"), help_text=DATE_HELP)
    authority = forms.CharField(label=_("Authority"), max_length=200, required=False,
                                help_text=_("e.g. the commune police, the district procuracy"))  # fmt: skip
    decree = forms.CharField(
        label=_("Sanction decision and decree"), max_length=200, required=False,
        help_text=_("Administrative sanction: the decision's number and the decree applied"),
    )  # fmt: skip
    amount = forms.IntegerField(label=_("Fine (VND)"), min_value=1, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("decided_on", today_vn())


class HelplineFeedbackForm(forms.Form):
    on = VNDateField(label=_("Date the helpline was told"), help_text=DATE_HELP)
    how = forms.ChoiceField(label=_("How"), choices=FeedbackMeans.choices)
    note = forms.CharField(label=_("What was said"), max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("on", today_vn())
