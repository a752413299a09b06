"""The activity types an administrator keeps (types and the parts of a record they use, as data). Activities are
written on their pages (audited), not here."""

from __future__ import annotations

from django.contrib import admin

from .models import ActivityType


@admin.register(ActivityType)
class ActivityTypeAdmin(admin.ModelAdmin):
    list_display = (
        "code", "name_vi", "name_en", "people_list", "has_materials", "has_findings", "has_decisions", "is_active",
        "sort_order",
    )  # fmt: skip
    search_fields = ("code", "name_vi", "name_en")
