"""Admin pages of the case process: the legal data an administrator corrects without a release (clock rules,
working-day swaps, rapid report rules per province) and delegations to sign for the commune chairman (recorded
through the service: checked and audited)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from treem.core.forms import choice_field
from treem.units.models import Level, Unit

from . import services
from .models import AbuseForm, Category, ClockRule, Delegation, RapidReportRule, WorkdayAdjustment


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
        choice_field(self, "province_code").choices = [("", _("Default (every other province)")), *provinces.items()]


@admin.register(RapidReportRule)
class RapidReportRuleAdmin(admin.ModelAdmin):
    form = RapidReportRuleForm
    list_display = ("__str__", "note", "on_serious", "on_danger")


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    list_display = ("delegate", "commune", "valid_from", "valid_to", "document", "revoked_at")
    list_filter = ("valid_from",)
    raw_id_fields = ("commune", "delegate")
    fields = ("commune", "delegate", "valid_from", "valid_to", "document")
    actions = ["revoke"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a delegation is recorded once; revoke it and record another

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Delegation, form: Any, change: bool) -> None:
        try:
            saved = services.delegation_grant(
                actor=request.user, commune=obj.commune, delegate=obj.delegate, valid_from=obj.valid_from,
                valid_to=obj.valid_to, document=obj.document, request=request,
            )  # fmt: skip
        except (PermissionDenied, ValidationError) as exc:
            raise PermissionDenied(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
        obj.pk = saved.pk

    @admin.action(description=_("Revoke the delegation"))
    def revoke(self, request: HttpRequest, queryset: Any) -> None:
        for delegation in queryset:
            services.delegation_revoke(actor=request.user, delegation=delegation, request=request)


@admin.register(ClockRule)
class ClockRuleAdmin(admin.ModelAdmin):
    list_display = ("code", "name_vi", "amount", "unit", "warn_after", "warn_unit", "legal_basis", "is_active")
    list_filter = ("unit", "is_active", "only_if_emergency", "skip_if_emergency", "survives_closure")
    search_fields = ("code", "name_vi", "name_en", "legal_basis")
    readonly_fields = ("code",)  # code names the rule in the program (Mẫu 07, indicators)
    fieldsets = (
        (None, {"fields": ("code", "name_vi", "name_en", "legal_basis", "is_active")}),
        (_("Clock"), {"fields": ("start_on", "stop_on", "amount", "unit", "warn_after", "warn_unit")}),
        (_("Conditions"), {
            "fields": ("only_if_emergency", "skip_if_emergency", "count_from_intake", "cumulative", "survives_closure")
        }),
    )  # fmt: skip

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # deadlines point at their rule; switch a rule off with "is active"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a new rule needs code that knows its events; the fixture brings them


@admin.register(WorkdayAdjustment)
class WorkdayAdjustmentAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "note")
    list_filter = ("kind",)
    search_fields = ("note",)
    date_hierarchy = "date"
