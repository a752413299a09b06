"""Form fields every app shares: the Vietnamese date field (day first in, dd/mm/yyyy out)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from treem.core.dates import check_date_range, format_vn, parse_date
from treem.core.errors import CleanError

DATE_HELP = _("dd/mm/yyyy")


class VNDateField(forms.DateField):
    """A date typed day first (05/03/2015, 5-3-2015, 2015-03-05…), shown as dd/mm/yyyy; only dates between
    MIN_DATE and MAX_DATE (core.dates) are accepted, so no form passes 01/01/0001 on to a service."""

    widget = forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"})

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        try:
            return check_date_range(parse_date(value))
        except CleanError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from exc

    def prepare_value(self, value: Any) -> Any:
        return format_vn(value) if isinstance(value, dt.date) else value


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's choice field `name`, as a ChoiceField (`form.fields` holds them as plain Fields)."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{name!r} is not a choice field")
    return field


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    """The form's model choice field `name`, as a ModelChoiceField (to set its queryset or its labels)."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{name!r} is not a model choice field")
    return field


def set_option_labels(form: forms.BaseForm, name: str, label: Callable[[Any], str]) -> None:
    """Show each object of the model choice field `name` as `label(obj)`."""
    field = model_choice_field(form, name)
    # Django's documented way to relabel one form's options; the stubs type it as a method no instance overrides
    field.label_from_instance = label  # type: ignore[method-assign,assignment]
