"""The plans' reference data an administrator keeps: agency kinds, event kinds, agencies and their reporters,
programmes and their targets. Plans, tasks and progress are written on the plan pages (audited), not here."""

from __future__ import annotations

from django.contrib import admin

from .models import Agency, AgencyKind, EventKind, Programme


@admin.register(AgencyKind)
class AgencyKindAdmin(admin.ModelAdmin):
    list_display = ("code", "name_vi", "name_en", "sort_order")
    search_fields = ("code", "name_vi", "name_en")


@admin.register(EventKind)
class EventKindAdmin(admin.ModelAdmin):
    list_display = ("code", "name_vi", "name_en", "month", "day", "has_theme", "has_recommendations", "sort_order")
    search_fields = ("code", "name_vi", "name_en")


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "kind", "unit", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "short_name")
    autocomplete_fields = ("unit",)
    filter_horizontal = ("members",)


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "unit", "start_year", "end_year")
    search_fields = ("code", "name")
    autocomplete_fields = ("unit",)
    filter_horizontal = ("targets",)
