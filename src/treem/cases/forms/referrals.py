"""A case referred to a provider of the directory, and an acknowledgement received by phone or letter."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from treem.core.dates import VN_TZ
from treem.core.forms import DATE_HELP, VNDateField, model_choice_field, set_option_labels
from treem.directory.models import Provider

from ..models import AcknowledgedVia
from .base import textarea


def _today() -> Any:
    return timezone.now().astimezone(VN_TZ).date()


class ReferralForm(forms.Form):
    provider = forms.ModelChoiceField(label=_("Provider"), queryset=Provider.objects.none())
    service = forms.CharField(label=_("Service asked for"), max_length=300)
    summary = forms.CharField(
        label=_("What the provider is told"), max_length=2000, required=False, widget=textarea(3),
        help_text=_("Only this, the child's name, year of birth and commune, and your name and phone are given"),
    )  # fmt: skip
    referred_on = VNDateField(label=_("Referred on"), help_text=DATE_HELP)
    parent_consent_name = forms.CharField(label=_("Parent or guardian who consented"), max_length=200, required=False)
    parent_consent_on = VNDateField(label=_("Date of the parent's or guardian's consent"), required=False)
    child_consent_on = VNDateField(
        label=_("Date of the child's consent"), required=False, help_text=_("Required when the child is 7 or older")
    )

    def __init__(self, *args: Any, providers: QuerySet[Provider], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "provider").queryset = providers
        set_option_labels(self, "provider", lambda p: f"{p.name} · {p.kind.name} · {p.unit.name}")
        self.initial.setdefault("referred_on", _today())


class AcknowledgementForm(forms.Form):
    """Acknowledged by the provider: on its own page (date and note), or recorded by the case team (how, who)."""

    acknowledged_on = VNDateField(label=_("Acknowledged on"), help_text=DATE_HELP)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("acknowledged_on", _today())


class AcknowledgementReceivedForm(AcknowledgementForm):
    via = forms.ChoiceField(
        label=_("Received"), choices=[c for c in AcknowledgedVia.choices if c[0] != AcknowledgedVia.SYSTEM]
    )
    name = forms.CharField(label=_("Person at the provider who acknowledged"), max_length=200)

    field_order = ["via", "name", "acknowledged_on", "note"]
