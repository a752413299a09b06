"""The indicator set as data an administrator completes: definitions, disaggregations, targets, validation rules.
Data values are figures (computed, entered on the entry pages, re-aggregated): read-only here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import DataValue, Dimension, DimensionOption, Indicator, IndicatorGroup, Target, ValidationRule


class DimensionOptionInline(admin.TabularInline):
    model = DimensionOption
    extra = 0
    fields = ("code", "name_vi", "name_en", "sort_order", "min_age", "max_age")


@admin.register(Dimension)
class DimensionAdmin(admin.ModelAdmin):
    list_display = ("code", "name_vi", "name_en", "partition", "sort_order")
    search_fields = ("code", "name_vi", "name_en")
    inlines = (DimensionOptionInline,)


@admin.register(DimensionOption)
class DimensionOptionAdmin(admin.ModelAdmin):
    list_display = ("dimension", "code", "name_vi", "name_en", "min_age", "max_age")
    list_filter = ("dimension",)
    search_fields = ("code", "name_vi", "name_en")


@admin.register(IndicatorGroup)
class IndicatorGroupAdmin(admin.ModelAdmin):
    list_display = ("code", "name_vi", "document", "sort_order")
    search_fields = ("code", "name_vi", "name_en", "document")


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    raw_id_fields = ("unit",)
    fields = ("unit", "year", "comparison", "value", "baseline_year", "baseline_value", "document")


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "legal_code", "name_vi", "group", "measure", "source", "periodicity", "is_active")
    list_filter = ("source", "measure", "periodicity", "is_active", "group")
    search_fields = ("code", "legal_code", "name_vi", "name_en")
    inlines = (TargetInline,)


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("indicator", "unit", "year", "comparison", "value", "baseline_year", "baseline_value", "document")
    list_filter = ("year", "comparison")
    search_fields = ("indicator__code", "indicator__name_vi", "unit__name", "document")
    raw_id_fields = ("unit",)
    list_select_related = ("indicator", "unit")


@admin.register(ValidationRule)
class ValidationRuleAdmin(admin.ModelAdmin):
    list_display = ("left", "operator", "right", "message_vi", "is_active")
    list_filter = ("is_active",)


@admin.register(DataValue)
class DataValueAdmin(admin.ModelAdmin):
    list_display = ("indicator", "unit", "period", "disagg", "value", "numerator", "denominator", "origin",
                    "entered_by", "computed_at")  # fmt: skip
    list_filter = ("origin", "period")
    search_fields = ("indicator__code", "unit__name", "unit__code")
    list_select_related = ("indicator", "unit", "entered_by")
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
