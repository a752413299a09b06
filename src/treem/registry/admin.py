from __future__ import annotations

from django.contrib import admin

from .models import CircumstanceType


@admin.register(CircumstanceType)
class CircumstanceTypeAdmin(admin.ModelAdmin):
    list_display = ("kind", "code", "name_vi", "legal_basis", "sort_order", "confidential", "is_active")
    list_filter = ("kind", "confidential", "is_active")
    search_fields = ("code", "name_vi", "name_en", "legal_basis")

    def has_delete_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False  # children's circumstances point at their type; switch a type off with "is active"
