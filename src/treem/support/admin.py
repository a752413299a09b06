from __future__ import annotations

from django.contrib import admin

from .models import Programme


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    """Programmes and their eligibility rules are data an administrator adapts (`Programme.clean` checks the rules)."""

    list_display = ("code", "name_vi", "kind", "source", "budget", "is_active")
    list_filter = ("kind", "source", "is_active")
    search_fields = ("code", "name_vi", "name_en")
