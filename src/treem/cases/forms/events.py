"""The events a case records (services, separations and their extensions, placements, notes…)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from treem.core.forms import VNDateField, choice_field
from treem.core.text import NOTE_MAX_LENGTH

from ..models import EventKind
from .base import WhenForm, textarea

EVENT_KINDS = [
    EventKind.SERVICE, EventKind.SEPARATION, EventKind.SEPARATION_EXTENDED, EventKind.SEPARATION_END,
    EventKind.PLACEMENT, EventKind.FOLLOW_UP, EventKind.COURT_PETITION, EventKind.SEPARATION_REVIEW, EventKind.NOTE,
    EventKind.CARE_CHANGE,
]  # fmt: skip


class EventForm(WhenForm):
    kind = forms.ChoiceField(label=_("What happened"), choices=[(k.value, k.label) for k in EVENT_KINDS])
    where = forms.CharField(
        label=_("Place, service provider or carer"), max_length=200, required=False,
        help_text=_("For a separation or a placement: where the child is and who cares for them"),
    )  # fmt: skip
    note = forms.CharField(label=_("Details"), required=False, widget=textarea(3), max_length=NOTE_MAX_LENGTH)
    # A separation's period (Mẫu 07) and an extension's decision (NĐ 56 Art. 32.3).
    until = VNDateField(label=_("Separated until"), required=False, help_text=_("For a separation: the decided end"))
    decision_no = forms.CharField(label=_("Extension: decision number"), max_length=40, required=False)
    decision_date = VNDateField(label=_("Extension: decision date"), required=False)
    authority = forms.CharField(label=_("Extension: decided by (authority)"), max_length=200, required=False)
    new_end = VNDateField(label=_("Extension: new end"), required=False)

    def __init__(self, *args: Any, kinds: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["kind", "on", "hour", "where", "until", "decision_no", "decision_date", "authority",
                           "new_end", "note"])  # fmt: skip
        if kinds is not None:  # who records which events (the chairman's decisions, the workers' events)
            choice_field(self, "kind").choices = [(k.value, k.label) for k in EVENT_KINDS if k in kinds]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") in (EventKind.NOTE, EventKind.SEPARATION_REVIEW) and not data.get("note"):
            self.add_error("note", _("Write the note."))
        return data

    def payload(self) -> dict[str, Any]:
        d = self.cleaned_data
        out: dict[str, Any] = {"where": d["where"]} if d.get("where") else {}
        if d.get("kind") == EventKind.SEPARATION and d.get("until"):
            out["until"] = d["until"].isoformat()
        if d.get("kind") == EventKind.SEPARATION_EXTENDED:
            for key in ("decision_no", "decision_date", "authority", "new_end"):
                value = d.get(key)
                out[key] = value.isoformat() if isinstance(value, dt.date) else (value or "")
        return out
