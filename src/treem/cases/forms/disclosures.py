"""Case information given outside the case team (Luật Trẻ em Art. 6.11, NĐ 56 Art. 24, 36)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from treem.core.dates import VN_TZ
from treem.core.forms import DATE_HELP, VNDateField, choice_field

from .base import textarea


class DisclosureForm(forms.Form):
    form_number = forms.ChoiceField(label=_("Form given"), required=False)
    recipient = forms.CharField(label=_("Given to (person and agency)"), max_length=200)
    purpose = forms.CharField(label=_("Purpose"), max_length=500, widget=textarea(2))
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
