"""Who may see a case: its assigned workers, the commune chairman, and supervisors above the commune.

Village collaborators and agency reporters never see cases; nor do administrators (superusers, the system-admin
role) unless a case role is also theirs (`User.has_capability` gives a superuser no case capability). Every read
goes through `cases_for_user`, so the rule lives here once; out-of-scope cases answer 404 like missing ones.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from treem.accounts import capabilities as cap
from treem.accounts.scope import scope_queryset, scope_root

from .models import Case


def cases_for_user(user: Any, qs: QuerySet[Case] | None = None) -> QuerySet[Case]:
    qs = Case.objects.all() if qs is None else qs
    if not (user and user.is_authenticated and user.is_active):
        return qs.none()
    # No shortcut for superusers: administration is not case work. A case role gives what it gives in the user's
    # unit (a superuser without a unit sees, at most, the cases assigned to them).
    scoped = scope_queryset(user, qs)
    root = scope_root(user)
    allowed = Q(pk__in=[])
    if user.has_capability(cap.CASES_VIEW):
        allowed |= Q(workers=user)
    if user.has_capability(cap.CASES_APPROVE) and root is not None:
        allowed |= Q(commune=root)
    if user.has_capability(cap.CASES_SUPERVISE) and root is not None:
        allowed |= ~Q(commune=root)  # supervisors see the cases of the communes below their unit
    return scoped.filter(allowed).distinct()


def can_see_case(user: Any, case: Case) -> bool:
    return cases_for_user(user).filter(pk=case.pk).exists()


def can_work_on(user: Any, case: Case) -> bool:
    return user.has_capability(cap.CASES_EDIT) and case.workers.filter(pk=user.pk).exists()


def can_approve(user: Any, case: Case) -> bool:
    root = scope_root(user)
    return user.has_capability(cap.CASES_APPROVE) and root is not None and root.pk == case.commune_id
