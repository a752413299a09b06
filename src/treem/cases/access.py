"""Who may see a case: its assigned workers, the commune chairman, and supervisors above the commune.

Village collaborators and agency reporters never see cases; nor do administrators (superusers, the system-admin
role) unless a case role is also theirs (`User.has_capability` gives a superuser no case capability). Every read
goes through `cases_for_user`, so the rule lives here once; out-of-scope cases answer 404 like missing ones.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from treem.accounts import capabilities as cap
from treem.accounts.scope import scope_queryset, scope_root, unit_in_scope
from treem.core.dates import date_vn

from .models import Case, CaseTransfer, Delegation


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
    elif root is not None and active_delegation(user, root) is not None:
        allowed |= Q(commune=root)  # a vice-chairman while a delegation to sign for the chairman runs
    if user.has_capability(cap.CASES_SUPERVISE) and root is not None:
        allowed |= ~Q(commune=root)  # supervisors see the cases of the communes below their unit
    return scoped.filter(allowed).distinct()


def can_see_case(user: Any, case: Case) -> bool:
    return cases_for_user(user).filter(pk=case.pk).exists()


def can_work_on(user: Any, case: Case) -> bool:
    return user.has_capability(cap.CASES_EDIT) and case.workers.filter(pk=user.pk).exists()


def can_approve(user: Any, case: Case, at: dt.datetime | None = None) -> bool:
    """Whether the user takes the commune chairman's decisions on this case (at `at`, default now)."""
    return decision_authority(user, case, at) is not None


def on_case_team(user: Any, case: Case) -> bool:
    """The case's assigned workers and the one who takes the chairman's decisions on it: who assigns workers,
    transfers the case and gives its information out."""
    return can_work_on(user, case) or can_approve(user, case)


@dataclass(frozen=True)
class CaseRights:
    """What a user does on a case, asked once for a page that shows several actions."""

    work: bool  # `can_work_on`
    decide: bool  # `can_approve`

    @property
    def team(self) -> bool:  # `on_case_team`
        return self.work or self.decide


def case_rights(user: Any, case: Case) -> CaseRights:
    return CaseRights(work=can_work_on(user, case), decide=can_approve(user, case))


def may_record_delegation(user: Any, commune: Any) -> bool:
    """The commune's own chairman, or an administrator over the commune, records (and revokes) a delegation."""
    own_chairman = user.has_capability(cap.CASES_APPROVE) and getattr(user, "unit_id", None) == commune.pk
    return own_chairman or (user.has_capability(cap.USERS_MANAGE) and unit_in_scope(user, commune))


# --- who decides (NĐ 56/2017 Arts. 28.4, 30.1b–c, 32.2–3): the commune chairman, or a vice-chairman "KT. Chủ tịch" --


@dataclass(frozen=True)
class Authority:
    """In what capacity a user decides: as the chairman, or on their behalf under `delegation`."""

    on_behalf: bool
    delegation: Delegation | None = None


def active_delegation(user: Any, commune: Any, on: dt.date | None = None) -> Delegation | None:
    """The delegation under which `user` signs for the chairman of `commune` on the day `on` (default today)."""
    if not (user and user.is_authenticated and user.has_capability(cap.CASES_APPROVE_ON_BEHALF)):
        return None
    if getattr(user, "unit_id", None) != commune.pk:
        return None
    on = on or date_vn(timezone.now())
    return (
        Delegation.objects.filter(
            delegate=user, commune=commune, valid_from__lte=on, valid_to__gte=on, revoked_at__isnull=True
        )
        .order_by("-valid_from", "-pk")
        .first()
    )


def decision_authority(user: Any, case: Case, at: dt.datetime | None = None) -> Authority | None:
    """The chairman of the case's commune decides; a vice-chairman of that commune only under a delegation valid on
    the decision's day. None: this user does not take the chairman's decisions on this case."""
    if not (user and user.is_authenticated and user.is_active):
        return None
    root = scope_root(user)
    if root is None or root.pk != case.commune_id:
        return None
    if user.has_capability(cap.CASES_APPROVE):
        return Authority(on_behalf=False)
    delegation = active_delegation(user, root, date_vn(at) if at else None)
    return Authority(on_behalf=True, delegation=delegation) if delegation else None


def signature(user: Any, authority: Authority) -> dict[str, Any]:
    """What the printed decision shows under it, recorded with the decision (the capacity it was taken in)."""
    sig: dict[str, Any] = {"name": user.get_full_name() or user.username, "on_behalf": authority.on_behalf}
    if authority.delegation is not None:
        sig |= {"delegation": authority.delegation.pk, "document": authority.delegation.document}
    return sig


# --- a case transferred to another commune: the sender keeps reading what happened up to the transfer ------------


def sent_transfers_for_user(user: Any, case_pk: int | None = None, *, limit: int = 500) -> list[CaseTransfer]:
    """For each case transferred out of the user's commune (or from below a supervisor's unit), its latest transfer
    that the user took part in: a worker then on the case, the sending commune's chairman, or a supervisor above it.
    Latest first, one query (with `case_pk`: that case's only)."""
    if not (user and user.is_authenticated and user.is_active):
        return []
    root = scope_root(user)
    if root is None:
        return []
    transfers = CaseTransfer.objects.filter(from_path__path_prefix=root.path)
    if case_pk is not None:
        transfers = transfers.filter(case_id=case_pk)
    decides_at_home = user.has_capability(cap.CASES_APPROVE) or active_delegation(user, root) is not None
    out: dict[int, CaseTransfer] = {}
    for transfer in transfers.select_related("case", "event", "from_commune", "to_commune").order_by("-at", "-pk"):
        if transfer.case_id not in out and _took_part(user, root, transfer, decides_at_home):
            out[transfer.case_id] = transfer
            if len(out) >= limit:
                break
    return list(out.values())


def sent_transfer_for_user(user: Any, case_pk: int) -> CaseTransfer | None:
    """The case's latest transfer out of the user's commune that the user took part in, if any."""
    return next(iter(sent_transfers_for_user(user, case_pk)), None)


def _took_part(user: Any, root: Any, transfer: CaseTransfer, decides_at_home: bool) -> bool:
    at_home = root.pk == transfer.from_commune_id
    if at_home and user.has_capability(cap.CASES_VIEW) and user.pk in transfer.workers:
        return True
    if at_home and decides_at_home:
        return True
    return not at_home and user.has_capability(cap.CASES_SUPERVISE)
