"""What the case services share: the audit row of a case write."""

from __future__ import annotations

from typing import Any

from treem.accounts.models import User
from treem.audit.services import audit_record

from ..models import (
    Case,
)


def audit_case(actor: User, case: Case, action: str, summary: str, request: Any = None, **extra: Any) -> None:
    audit_record(
        actor=actor, action=action, target_type="case", target_id=case.pk, unit_path=case.unit_path,
        summary=summary, request=request, extra=extra,
    )  # fmt: skip
