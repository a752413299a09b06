from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Role, User


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("code", "name_vi", "name_en", "unit_level", "requires_otp", "sort_order")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "get_full_name", "role", "unit", "is_active")
    list_filter = ("role", "is_active", "is_staff")
    raw_id_fields = ("unit",)
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), (_("Treem"), {"fields": ("role", "unit", "phone")}))
