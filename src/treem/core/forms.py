"""Form fields every app shares: the Vietnamese date field (day first in, dd/mm/yyyy out)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from treem.core.dates import format_vn, parse_date, validate_date_range
from treem.core.errors import CleanError

DATE_HELP = _("dd/mm/yyyy")


class VNDateField(forms.DateField):
    """A date typed day first (05/03/2015, 5-3-2015, 2015-03-05…), shown as dd/mm/yyyy; only dates between
    MIN_DATE and MAX_DATE (core.dates) are accepted, so no form passes 01/01/0001 on to a service."""

    default_validators = [validate_date_range]
    widget = forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"})

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        try:
            return parse_date(value)
        except CleanError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from exc

    def prepare_value(self, value: Any) -> Any:
        return format_vn(value) if isinstance(value, dt.date) else value
