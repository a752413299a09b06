"""Mẫu 04: the plan, its rows (services and tasks, responsible people, providers, dates, costs)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from treem.core.forms import VNDateField

from ..calendar import iso_date
from .base import StepForm, textarea


class PlanRowForm(forms.Form):
    service = forms.CharField(label=_("Service or task"), max_length=300)
    responsible = forms.CharField(label=_("Responsible person or agency"), max_length=200)
    provider = forms.CharField(label=_("Service provider"), max_length=200, required=False)
    # NĐ 56 Art. 28.3a and 28.3d: each service or task has its start and expected end dates and its cost estimate.
    start = VNDateField(label=_("Start"))
    end = VNDateField(label=_("Expected end"))
    cost = forms.IntegerField(label=_("Cost (VND)"), min_value=0, help_text=_("0 if free"))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end date is before the start date."))
        return data

    def row(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "service": d["service"], "responsible": d["responsible"], "provider": d.get("provider", ""),
            "start": d["start"].isoformat() if d.get("start") else "",
            "end": d["end"].isoformat() if d.get("end") else "", "cost": d.get("cost"),
        }  # fmt: skip


PlanRowFormSet = forms.formset_factory(PlanRowForm, extra=3, min_num=1, validate_min=True, max_num=30, can_delete=True)


def plan_initial(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A recorded plan's rows as formset initial data (to revise a plan)."""
    out = []
    for r in rows:
        out.append({
            **{k: r.get(k, "") for k in ("service", "responsible", "provider")},
            "start": iso_date(r.get("start")), "end": iso_date(r.get("end")), "cost": r.get("cost"),
        })  # fmt: skip
    return out


class PlanForm(StepForm):
    """Mẫu 04: the goal and the rows (services and tasks, responsible people, providers, dates, costs)."""

    note_label = _("Notes")
    goal = forms.CharField(label=_("Goal of the support and intervention"), widget=textarea(2), required=False)

    def __init__(self, *args: Any, rows: list[dict[str, Any]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        data = args[0] if args else kwargs.get("data")
        self.rows = PlanRowFormSet(data, prefix="plan", initial=plan_initial(rows or []))

    def is_valid(self) -> bool:
        return all([super().is_valid(), self.rows.is_valid()])

    def data_fields(self) -> dict[str, Any]:
        rows = [f.row() for f in self.rows.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        return {"goal": self.cleaned_data.get("goal", ""), "plan": rows}
