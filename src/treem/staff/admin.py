"""The roster is read here; it changes through its pages (people without an account) and the user accounts."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import Worker


@admin.register(Worker)
class WorkerAdmin(admin.ModelAdmin):
    list_display = ("full_name", "position", "unit", "since", "until", "user")
    list_filter = ("position",)
    search_fields = ("full_name", "unit__name")
    raw_id_fields = ("unit", "user")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
