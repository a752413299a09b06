from __future__ import annotations

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "treem.audit"
    label = "audit"

    def ready(self) -> None:
        # User management (accounts ranks below audit) writes its audit rows through this recorder.
        from treem.accounts.services import register_audit_recorder

        from .services import audit_record

        register_audit_recorder(audit_record)
