from __future__ import annotations

from django.contrib import admin

from .models import FundingSource


@admin.register(FundingSource)
class FundingSourceAdmin(admin.ModelAdmin):
    """Sources of funds are data an administrator adapts (a source in use is deactivated, never deleted)."""

    list_display = ("code", "name_vi", "name_en", "kind", "sort_order", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name_vi", "name_en")
