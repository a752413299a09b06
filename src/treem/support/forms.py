from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from treem.core.forms import VNDateField
from treem.units.models import Unit

from .models import DisasterKind, NeedKind, Programme

MAX_VND = 10**12


class RoundForm(forms.Form):
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    on = VNDateField(label=_("List date"), help_text=_("Who lived in the unit on this date, by their situation then"))
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    item = forms.CharField(label=_("What is given"), max_length=200, required=False)
    value = forms.IntegerField(label=_("Value per child (VND)"), min_value=0, max_value=MAX_VND, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class AddForm(forms.Form):
    child = forms.IntegerField(label=_("Child"), widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class DeliveryForm(forms.Form):
    item = forms.CharField(label=_("What"), max_length=200)
    value = forms.IntegerField(label=_("Value (VND)"), min_value=0, max_value=MAX_VND, initial=0)
    delivered_on = VNDateField(label=_("Date delivered"))
    delivered_by = forms.CharField(label=_("Delivered by"), max_length=200)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class DonationForm(forms.Form):
    donor = forms.CharField(label=_("Donor"), max_length=200)
    amount = forms.IntegerField(label=_("Amount (VND)"), min_value=1, max_value=MAX_VND)
    received_on = VNDateField(label=_("Date received"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class SpendingForm(forms.Form):
    purpose = forms.CharField(label=_("Purpose"), max_length=300)
    amount = forms.IntegerField(label=_("Amount (VND)"), min_value=1, max_value=MAX_VND)
    spent_on = VNDateField(label=_("Date spent"))


# --- disasters and epidemics --------------------------------------------------------------------------------------


class DisasterForm(forms.Form):
    kind: forms.ModelChoiceField[DisasterKind] = forms.ModelChoiceField(label=_("Kind"), queryset=None)
    unit = forms.ChoiceField(label=_("Declared by"), required=False)
    places: forms.ModelMultipleChoiceField[Unit] = forms.ModelMultipleChoiceField(
        label=_("Villages and communes hit"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    started_on = VNDateField(label=_("From"))
    ended_on = VNDateField(label=_("To"), required=False, help_text=_("Empty: still going on"))
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    description = forms.CharField(label=_("Description"), max_length=2000, required=False, widget=forms.Textarea(
        attrs={"rows": 2}))  # fmt: skip


class ReviewForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=())
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
    needs: forms.ModelMultipleChoiceField[NeedKind] = forms.ModelMultipleChoiceField(
        label=_("Needs"), queryset=None, required=False
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class AffectedAddForm(forms.Form):
    child = forms.IntegerField(label=_("Child"), widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), max_length=300)
    needs: forms.ModelMultipleChoiceField[NeedKind] = forms.ModelMultipleChoiceField(
        label=_("Needs"), queryset=None, required=False
    )


class ReliefRoundForm(forms.Form):
    programme: forms.ModelChoiceField[Programme] = forms.ModelChoiceField(label=_("Programme"), queryset=None)
    unit = forms.ChoiceField(label=_("Unit"))
    on = VNDateField(label=_("List date"))
    item = forms.CharField(label=_("What is given"), max_length=200, required=False)
    value = forms.IntegerField(label=_("Value per child (VND)"), min_value=0, max_value=MAX_VND, required=False)
