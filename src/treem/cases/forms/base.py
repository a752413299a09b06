"""What the case forms share: a date and hour in Vietnam time (`WhenForm`), and a step's form (`StepForm`)."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from treem.core.dates import VN_TZ
from treem.core.forms import DATE_HELP, VNDateField
from treem.core.text import NOTE_MAX_LENGTH

HOUR_FORMATS = ["%H:%M", "%Hh%M", "%H.%M", "%Hh", "%H:%M:%S"]


def textarea(rows: int = 3, **attrs: Any) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, **attrs})


class VNTimeField(forms.TimeField):
    widget = forms.TimeInput(
        format="%H:%M", attrs={"placeholder": "HH:MM", "inputmode": "numeric", "autocomplete": "off"}
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(input_formats=HOUR_FORMATS, **kwargs)


class WhenForm(forms.Form):
    """A date and hour, day first, in Vietnam time; `cleaned_data["at"]` is the aware datetime. Default: now."""

    on = VNDateField(label=_("Date"), help_text=DATE_HELP)
    hour = VNTimeField(label=_("Hour"), help_text=_("HH:MM, 24-hour clock"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        now = timezone.now().astimezone(VN_TZ)
        self.initial.setdefault("on", now.date())
        self.initial.setdefault("hour", now.time().replace(second=0, microsecond=0))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        on, hour = data.get("on"), data.get("hour")
        if on and hour:
            at = dt.datetime.combine(on, hour, tzinfo=VN_TZ)
            if at > timezone.now() + dt.timedelta(minutes=5):
                self.add_error("hour", _("This time is in the future."))
            data["at"] = at
        return data


class StepForm(WhenForm):
    """A move to the next step: when it happened, a note, and the form's content as `data`."""

    note_label: ClassVar[Any] = _("Note")
    note_required: ClassVar[bool] = False
    note = forms.CharField(required=False, widget=textarea(3), max_length=NOTE_MAX_LENGTH)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].label = self.note_label
        self.fields["note"].required = self.note_required
        self.order_fields([*(name for name in self.fields if name != "note"), "note"])

    def data_fields(self) -> dict[str, Any]:
        return {}

    def payload(self) -> tuple[str, dict[str, Any]]:
        return self.cleaned_data.get("note", ""), self.data_fields()
