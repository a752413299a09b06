"""Which case-derived circumstances of the registry a user may see: registered with the registry in
`CasesConfig.ready()` (the registry does not import the cases app; see `treem.registry.confidential`).

A circumstance recorded from a case (`source_case_id`) is seen by those who see that case (`access.cases_for_user`).
One in an abuse-related group that names no case (imported from a commune workbook, or typed in by hand) is seen by
those who see every case of the child's commune without being assigned: the commune chairman and the supervisors
above. Everyone else (village collaborators, agency reporters, central viewers, auditors, administrators) sees none.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from treem.accounts import capabilities as cap
from treem.accounts.scope import scope_root

from .access import cases_for_user

CASE_READING = (cap.CASES_VIEW, cap.CASES_APPROVE, cap.CASES_SUPERVISE)


def confidential_circumstances(user: Any) -> Q | None:
    """None when the user sees no case at all; else the confidential circumstances (or history rows) they may see."""
    if not any(user.has_capability(c) for c in CASE_READING):
        return None
    allowed = Q(source_case_id__in=cases_for_user(user).values("pk"))
    root = scope_root(user)
    if root is not None and (user.has_capability(cap.CASES_APPROVE) or user.has_capability(cap.CASES_SUPERVISE)):
        allowed |= Q(source_case_id__isnull=True, child__unit_path__path_prefix=root.path)
    return allowed


def register() -> None:
    from treem.registry.confidential import register_visibility_provider

    register_visibility_provider("cases", confidential_circumstances)
