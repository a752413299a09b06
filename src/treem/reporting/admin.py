"""Report types, their deadline rules and the cycles as data an administrator adapts; reports and notices are read
here, never edited (their steps are signed and audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Cycle, DeadlineRule, Report, ReportNotice, ReportType


class DeadlineRuleInline(admin.TabularInline):
    model = DeadlineRule
    extra = 0
    fields = ("structure", "level", "day", "month", "year_offset", "days_after", "source")


@admin.register(ReportType)
class ReportTypeAdmin(admin.ModelAdmin):
    list_display = ("code", "name_vi", "kind", "period_kind", "reminder_days", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name_vi", "name_en")
    inlines = (DeadlineRuleInline,)


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ("code", "report_type", "period", "structure", "cut_off", "reminder_days", "is_open")
    list_filter = ("report_type", "is_open", "structure")


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(ReadOnly):
    list_display = ("cycle", "unit", "status", "first_submitted_at", "reviewed_at")
    list_filter = ("cycle", "status")


@admin.register(ReportNotice)
class ReportNoticeAdmin(ReadOnly):
    list_display = ("cycle", "unit", "kind", "deadline", "sent_at")
    list_filter = ("cycle", "kind")
