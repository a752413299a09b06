from __future__ import annotations

from django.contrib import admin

from .models import Succession, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "structure", "full_path", "is_active")
    list_filter = ("structure", "level", "is_active", "is_local")
    search_fields = ("code", "name", "search_key")
    raw_id_fields = ("parent",)


@admin.register(Succession)
class SuccessionAdmin(admin.ModelAdmin):
    list_display = ("former", "current", "is_partial", "is_default", "effective_date")
    list_filter = ("is_partial",)
    raw_id_fields = ("former", "current")
