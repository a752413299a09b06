"""What every case page shares: the audited, scope-checked fetch, who may take which step, who sees the
informant, and durations as people say them.

A response that shows a case reads it through `selectors.case_get`, so it is audited exactly once. A write (POST)
is scope-checked by the same rule (`access.cases_for_user`) and audited by its service; if the form comes back
with errors, the page shown again is read through `case_get` like any other page.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import ngettext

from treem.accounts import capabilities as cap
from treem.accounts.scope import scope_root
from treem.audit.models import Action
from treem.cases import selectors
from treem.cases.access import can_approve, can_work_on, cases_for_user
from treem.cases.models import Case, Status


def require(request: HttpRequest, capability: str) -> None:
    if not request.user.has_capability(capability):
        raise PermissionDenied


def form_errors_to(form: Any, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def read_case(request: HttpRequest, pk: int, what: str, action: str = Action.VIEW, *, informant: bool = False) -> Case:
    """The case, if the user may see it (else 404); the read is audited with what was shown (`{code}` in `what`)."""
    peek = Case.objects.filter(pk=pk).values("code", "created_by_id", "commune_id", "informant_consents").first()
    peek = peek or {"code": "", "created_by_id": None, "commune_id": None, "informant_consents": False}
    shown = informant and peek["informant_consents"]
    if shown and _shows_informant(request.user, peek["created_by_id"], peek["commune_id"]):
        what += "; danh tính người báo tin"
    return selectors.case_get(request.user, pk, request=request, action=action, what=what.format(code=peek["code"]))


def case_for_write(request: HttpRequest, pk: int) -> Case:
    """The case for a write: the same scope rule as reads (404 outside it); the service audits the write."""
    try:
        return cases_for_user(request.user).select_related("commune", "child").get(pk=pk)
    except Case.DoesNotExist as exc:
        raise Http404 from exc


def may_take(user: Any, case: Case, to: str) -> bool:
    """Whether the user is one who makes this kind of step (the services check it again)."""
    if to == Status.PLAN_APPROVED:
        return can_approve(user, case)
    if to == Status.CLOSED:
        return can_work_on(user, case) or can_approve(user, case)
    return can_work_on(user, case)


def _shows_informant(user: Any, created_by_id: int | None, commune_id: int | None) -> bool:
    if user.pk == created_by_id:
        return True
    root = scope_root(user)
    return user.has_capability(cap.CASES_SUPERVISE) and (root is None or root.pk != commune_id)


def shows_informant(user: Any, case: Case) -> bool:
    """The informant's identity: only the worker who recorded the intake and supervisors above the commune."""
    return _shows_informant(user, case.created_by_id, case.commune_id)


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
