"""Writing audit events. Called by services and case selectors in the same transaction as the work."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from treem.accounts.models import User

from .models import AuditEvent


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    actor: User | None,
    action: str,
    target_type: str,
    target_id: object,
    unit_path: str,
    summary: str = "",
    request: HttpRequest | None = None,
    extra: dict[str, Any] | None = None,
) -> AuditEvent:
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        actor_name=(user.get_full_name() or user.username) if user else "system",
        unit_path=unit_path,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        summary=summary[:500],
        ip=client_ip(request),
        extra=extra or {},
    )
