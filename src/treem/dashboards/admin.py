from __future__ import annotations

from django.contrib import admin

from .models import IndexComponent


@admin.register(IndexComponent)
class IndexComponentAdmin(admin.ModelAdmin):
    list_display = ("indicator", "direction", "worst", "best", "weight", "right_vi", "is_active", "sort_order")
    list_editable = ("weight", "is_active")
    list_select_related = ("indicator",)
