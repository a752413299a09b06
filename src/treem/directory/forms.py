"""The provider form: the unit among those the keeper may choose, the linked users among those of the scope."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from treem.accounts.models import User
from treem.core.forms import DATE_HELP, VNDateField, model_choice_field, set_option_labels
from treem.units.models import Unit

from .models import Provider, ProviderKind, ProviderStatus


class ProviderForm(forms.Form):
    kind = forms.ModelChoiceField(label=_("Kind"), queryset=ProviderKind.objects.all())
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    name = forms.CharField(label=_("Name"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=0, required=False, help_text=_("Places or people"))
    latitude = forms.DecimalField(label=_("Latitude"), max_digits=9, decimal_places=6, required=False)
    longitude = forms.DecimalField(label=_("Longitude"), max_digits=9, decimal_places=6, required=False)
    contact_name = forms.CharField(label=_("Contact person"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=ProviderStatus.choices)
    opened_on = VNDateField(label=_("Open since"), required=False, help_text=DATE_HELP)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    users = forms.ModelMultipleChoiceField(
        label=_("Users of the provider"), queryset=User.objects.none(), required=False,
        help_text=_("They receive and acknowledge the case referrals made to this provider"),
    )  # fmt: skip

    def __init__(self, *args: Any, units: QuerySet[Unit], users: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "unit").queryset = units
        set_option_labels(self, "unit", lambda u: u.full_path or u.name)
        field = self.fields["users"]
        assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101 - declared above
        field.queryset = users
        field.label_from_instance = lambda u: f"{u.get_full_name() or u.username} ({u.username})"  # type: ignore[method-assign,assignment]

    @classmethod
    def initial_for(cls, provider: Provider) -> dict[str, Any]:
        names = ("kind", "unit", "name", "address", "capacity", "latitude", "longitude", "contact_name", "phone",
                 "email", "status", "opened_on", "note")  # fmt: skip
        return {n: getattr(provider, n) for n in names} | {"users": list(provider.users.all())}
