"""The legal data an administrator corrects without a release: the clock rules and the working-day swaps."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import ClockRule, WorkdayAdjustment


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

    def has_delete_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False  # deadlines point at their rule; switch a rule off with "is active"

    def has_add_permission(self, request) -> bool:  # noqa: ANN001
        return False  # a new rule needs code that knows its events; the fixture brings them


@admin.register(WorkdayAdjustment)
class WorkdayAdjustmentAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "note")
    list_filter = ("kind",)
    search_fields = ("note",)
    date_hierarchy = "date"
