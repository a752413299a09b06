"""The criteria as data an administrator corrects: categories and thresholds, criteria, items and their points
(the provisional ones first). Assessments are read here; they change only through their pages."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import Assessment, Category, Criterion, Item


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name_vi", "min_total", "sort_order")


class ItemInline(admin.TabularInline):
    model = Item
    extra = 0
    fields = ("code", "name_vi", "name_en", "max_points", "points_known", "indicator", "per_indicator",
              "comparison", "target", "sort_order")  # fmt: skip


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ("number", "name_vi", "min_points")
    inlines = (ItemInline,)


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ("code", "name_vi", "max_points", "points_known", "indicator", "comparison", "target")
    list_filter = ("points_known",)
    ordering = ("points_known", "criterion__number", "sort_order")


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ("unit", "year", "category", "status", "decision_number", "decision_date")
    list_filter = ("status", "year")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
