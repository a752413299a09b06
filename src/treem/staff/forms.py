from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from treem.core.forms import VNDateField
from treem.registry.models import Sex

SEX_CHOICES = [("", _("Not given")), *Sex.choices]


class WorkerForm(forms.Form):
    """A person without an account: the post (a unit of the commune: the commune itself for an officer, a village for
    a collaborator), name, sex, phone, since, note. The view fills the unit choices."""

    unit = forms.ChoiceField(label=_("Unit and position"))
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    sex = forms.ChoiceField(label=_("Sex"), choices=SEX_CHOICES, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    since = VNDateField(label=_("Since"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class WorkerEditForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    sex = forms.ChoiceField(label=_("Sex"), choices=SEX_CHOICES, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    since = VNDateField(label=_("Since"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: object, from_account: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if from_account:  # the account's name and phone: changed on the account
            for name in ("full_name", "phone"):
                self.fields[name].disabled = True
                self.fields[name].required = False
                self.fields[name].help_text = _("From the user account")


class EndForm(forms.Form):
    until = VNDateField(label=_("Stopped on"))
    note = forms.CharField(label=_("Reason"), max_length=300, required=False)
