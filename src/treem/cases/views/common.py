"""What every case page shares: the audited, scope-checked fetch, who may take which step, who sees the
informant, and durations as people say them.

A response that shows a case reads it through `selectors.case_get`, so it is audited exactly once. A write (POST)
is scope-checked by the same rule (`access.cases_for_user`) and audited by its service; if the form comes back
with errors, the page shown again is read through `case_get` like any other page.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import ngettext

from treem.accounts import capabilities as cap
from treem.accounts.scope import get_or_404, scope_root
from treem.accounts.web import AuthedRequest
from treem.audit.models import Action
from treem.cases import selectors
from treem.cases.access import CaseRights, can_approve, can_work_on, case_rights, cases_for_user
from treem.cases.forms import EVENT_KINDS
from treem.cases.models import DECISION_EVENT_KINDS, Case, Status


def read_case(
    request: AuthedRequest, pk: int, what: str, action: str = Action.VIEW, *, informant: bool = False
) -> Case:
    """The case, if the user may see it (else 404); the read is audited with what was shown (`{code}` in `what`).

    Nothing of the case is read before the scoped fetch: the audit summary is made from the case it returns."""

    def summary(case: Case) -> str:
        shown = what.format(code=case.code)
        if informant and case.informant_consents and shows_informant(request.user, case):
            shown += "; danh tính người báo tin"
        return shown

    return selectors.case_get(request.user, pk, request=request, action=action, what=summary)


def case_for_write(request: AuthedRequest, pk: int) -> Case:
    """The case for a write: the same scope rule as reads (404 outside it); the service audits the write."""
    return get_or_404(cases_for_user(request.user).select_related("commune", "child"), pk=pk)


def may_take(user: Any, case: Case, to: str, rights: CaseRights | None = None) -> bool:
    """Whether the user is one who makes this kind of step (the services check it again)."""
    if to in (Status.PLAN_APPROVED, Status.CLOSED):  # the chairman's decisions (NĐ 56 Arts. 28.4, 30.1c)
        return rights.decide if rights else can_approve(user, case)
    return rights.work if rights else can_work_on(user, case)


def event_kinds_for(user: Any, case: Case, rights: CaseRights | None = None) -> list[str]:
    """The events this user records: the chairman's decisions on separation, the workers' other events."""
    rights = rights or case_rights(user, case)
    kinds: list[str] = [k for k in EVENT_KINDS if k not in DECISION_EVENT_KINDS] if rights.work else []
    if rights.decide:
        kinds += [k for k in EVENT_KINDS if k in DECISION_EVENT_KINDS]
    return kinds


def shows_informant(user: Any, case: Case) -> bool:
    """The informant's identity: only the worker who recorded the intake and supervisors above the commune."""
    if user.pk == case.created_by_id:
        return True
    root = scope_root(user)
    return user.has_capability(cap.CASES_SUPERVISE) and (root is None or root.pk != case.commune_id)


def span(seconds: float) -> str:
    """A duration as people say it, its two largest units: "2 ngày 3 giờ", "11 giờ 59 phút", "5 phút"."""
    minutes = int(abs(seconds) // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [
        ngettext("%(n)d day", "%(n)d days", days) % {"n": days} if days else "",
        ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours} if hours else "",
        ngettext("%(n)d minute", "%(n)d minutes", mins) % {"n": mins} if mins and not days else "",
    ]
    return " ".join([p for p in parts if p][:2]) or ngettext("%(n)d minute", "%(n)d minutes", 0) % {"n": 0}
