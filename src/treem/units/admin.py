from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Succession, Unit, UnitCorrection
from .services import CorrectionError, correction_check, correction_record, corrections_apply


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "structure", "full_path", "is_active")
    list_filter = ("structure", "level", "is_active", "is_local")
    search_fields = ("code", "name", "search_key")
    raw_id_fields = ("parent",)


@admin.register(Succession)
class SuccessionAdmin(admin.ModelAdmin):
    list_display = ("former", "current", "is_partial", "is_default", "share", "effective_date")
    list_filter = ("is_partial",)
    raw_id_fields = ("former", "current")


class UnitCorrectionForm(forms.ModelForm):
    """Recording goes through `correction_record`, so the form checks with the same rules before saving."""

    class Meta:
        model = UnitCorrection
        fields = ("unit", "kind", "new_value", "effective_date", "source_document")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors or self.instance.pk:
            return data
        try:
            correction_check(
                unit=data["unit"], kind=data["kind"], new_value=data["new_value"],
                source_document=data["source_document"],
            )  # fmt: skip
        except CorrectionError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return data


class AppliedFilter(admin.SimpleListFilter):
    title = _("applied")
    parameter_name = "applied"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("no", _("Not yet applied")), ("yes", _("Applied"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[UnitCorrection]) -> QuerySet[UnitCorrection]:
        if self.value() == "no":
            return queryset.filter(applied_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(applied_at__isnull=False)
        return queryset


@admin.register(UnitCorrection)
class UnitCorrectionAdmin(admin.ModelAdmin):
    """Corrections are recorded here (the value in force becomes the old value) and applied by the action.
    Applied rows are history: they are read-only and cannot be deleted; a wrong one is undone by a new one."""

    form = UnitCorrectionForm
    list_display = ("unit", "kind", "old_value", "new_value", "effective_date", "source_document", "applied_at")
    list_filter = ("kind", AppliedFilter, "unit__structure")
    search_fields = ("unit__code", "unit__name", "old_value", "new_value", "source_document")
    raw_id_fields = ("unit",)
    date_hierarchy = "effective_date"
    actions = ["apply_corrections"]
    readonly_fields = ("old_value", "recorded_by_name", "recorded_at", "applied_by_name", "applied_at")

    def get_readonly_fields(self, request: HttpRequest, obj: UnitCorrection | None = None) -> Any:
        if obj is not None:  # recorded: the values are history; delete a pending row and record it again
            return ("unit", "kind", "new_value", "effective_date", "source_document", *self.readonly_fields)
        return self.readonly_fields

    def has_delete_permission(self, request: HttpRequest, obj: UnitCorrection | None = None) -> bool:
        return super().has_delete_permission(request, obj) and (obj is None or not obj.is_applied)

    def get_actions(self, request: HttpRequest, action_location: Any = None) -> dict[str, Any]:
        actions = super().get_actions(request, **({"action_location": action_location} if action_location else {}))
        actions.pop("delete_selected", None)  # would delete applied history
        return actions

    def save_model(self, request: HttpRequest, obj: UnitCorrection, form: Any, change: bool) -> None:
        if change:
            return  # nothing editable once recorded
        d = form.cleaned_data
        recorded = correction_record(
            unit=d["unit"], kind=d["kind"], new_value=d["new_value"], effective_date=d["effective_date"],
            source_document=d["source_document"], recorded_by=request.user,
        )  # fmt: skip
        obj.pk = recorded.pk
        obj.refresh_from_db()

    @admin.action(description=_("Apply the selected corrections"), permissions=["change"])
    def apply_corrections(self, request: HttpRequest, queryset: QuerySet[UnitCorrection]) -> None:
        try:
            done = corrections_apply(corrections=list(queryset), applied_by=request.user)
        except CorrectionError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(
            request,
            ngettext("%(n)d correction applied.", "%(n)d corrections applied.", len(done)) % {"n": len(done)},
            messages.SUCCESS,
        )
