from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from treem.core.text import nfc

from .models import CircumstanceType


class LinesField(forms.CharField):
    """A list of short texts edited one per line (blank lines and repeats dropped)."""

    widget = forms.Textarea(attrs={"rows": 8})

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        lines = (nfc(line) for line in str(value or "").splitlines())
        return list(dict.fromkeys(line for line in lines if line))


class CircumstanceTypeForm(forms.ModelForm):
    synonyms = LinesField(
        label=_("other names"),
        required=False,
        help_text=_("One per line: what communes write for this group in their lists (an import reads them)"),
    )

    class Meta:
        model = CircumstanceType
        fields = ("kind", "code", "name_vi", "name_en", "legal_basis", "sort_order", "is_active", "confidential",
                  "synonyms")  # fmt: skip


@admin.register(CircumstanceType)
class CircumstanceTypeAdmin(admin.ModelAdmin):
    form = CircumstanceTypeForm
    list_display = ("kind", "code", "name_vi", "legal_basis", "sort_order", "confidential", "is_active")
    list_filter = ("kind", "confidential", "is_active")
    search_fields = ("code", "name_vi", "name_en", "legal_basis")

    def has_delete_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False  # children's circumstances point at their type; switch a type off with "is active"
