"""Delegations to sign for the commune chairman, recorded through the service (checked and audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Delegation


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    list_display = ("delegate", "commune", "valid_from", "valid_to", "document", "revoked_at")
    list_filter = ("valid_from",)
    raw_id_fields = ("commune", "delegate")
    fields = ("commune", "delegate", "valid_from", "valid_to", "document")
    actions = ["revoke"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a delegation is recorded once; revoke it and record another

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Delegation, form: Any, change: bool) -> None:
        try:
            saved = services.delegation_grant(
                actor=request.user, commune=obj.commune, delegate=obj.delegate, valid_from=obj.valid_from,
                valid_to=obj.valid_to, document=obj.document, request=request,
            )  # fmt: skip
        except (PermissionDenied, ValidationError) as exc:
            raise PermissionDenied(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
        obj.pk = saved.pk

    @admin.action(description=_("Revoke the delegation"))
    def revoke(self, request: HttpRequest, queryset: Any) -> None:
        for delegation in queryset:
            services.delegation_revoke(actor=request.user, delegation=delegation, request=request)
