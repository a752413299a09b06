"""The kinds of provider as data an administrator corrects (which count as a play spot); providers are read here
and changed through their pages (audited)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import Provider, ProviderKind


@admin.register(ProviderKind)
class ProviderKindAdmin(admin.ModelAdmin):
    list_display = ("code", "name_vi", "play_spot", "takes_referrals", "sort_order")


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "unit", "status")
    list_filter = ("kind", "status")
    search_fields = ("name",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
