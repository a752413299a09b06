from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from treem.units.models import Level, Unit

from .models import AbuseForm, Category, RapidReportRule


class RapidReportRuleForm(forms.ModelForm):
    """The rule as checkboxes: which case categories and forms of abuse trigger a rapid report to the province."""

    province_code = forms.ChoiceField(label=_("Province"), required=False)
    categories = forms.MultipleChoiceField(
        label=_("Case categories"), choices=Category.choices, widget=forms.CheckboxSelectMultiple
    )
    abuse_forms = forms.MultipleChoiceField(
        label=_("Forms of abuse that trigger a report"), choices=AbuseForm.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    class Meta:
        model = RapidReportRule
        fields = ["province_code", "categories", "abuse_forms", "on_serious", "on_danger", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        provinces: dict[str, str] = {}
        for code, name in Unit.objects.filter(level=Level.PROVINCE).order_by("code").values_list("code", "name"):
            provinces.setdefault(code, name)
        current = self.instance.province_code
        if current and current not in provinces:
            provinces[current] = current  # a rule for a province not loaded here stays editable
        self.fields["province_code"].choices = [("", _("Default (every other province)")), *provinces.items()]


@admin.register(RapidReportRule)
class RapidReportRuleAdmin(admin.ModelAdmin):
    form = RapidReportRuleForm
    list_display = ("__str__", "note", "on_serious", "on_danger")
