"""Case reads. Every read of case data is audited here, so no view can forget to."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from treem.accounts.models import User
from treem.accounts.scope import get_or_404
from treem.audit.models import Action
from treem.audit.services import audit_record
from treem.core.dates import date_vn

from .access import cases_for_user
from .models import Case, Category, Deadline, Status

AGE_GROUPS = ((0, 5, "0-5"), (6, 10, "6-10"), (11, 15, "11-15"), (16, 17, "16-17"))


def case_get(
    user: User, pk: int, *, request: Any = None, action: str = Action.VIEW, what: str | Callable[[Case], str] = ""
) -> Case:
    """One case the user may see, or 404 (the same answer for missing and forbidden). The read is audited, with
    `what` was shown: a text, or made from the case once it is fetched in scope."""
    case = get_or_404(cases_for_user(user).select_related("commune", "child", "child__household"), pk=pk)
    summary = what(case) if callable(what) else what
    audit_record(
        actor=user, action=action, target_type="case", target_id=case.pk, unit_path=case.unit_path,
        summary=summary or f"Xem hồ sơ {case.code}", request=request,
    )  # fmt: skip
    return case


def case_list(user: User, *, status: str = "", request: Any = None) -> list[Case]:
    """Open cases first, most urgent deadline first. The list itself (codes shown) is audited."""
    qs: QuerySet[Case] = cases_for_user(user).select_related("commune", "child")
    qs = qs.filter(status=status) if status else qs.exclude(status=Status.CLOSED)
    cases = list(qs[:500])
    nexts: dict[int, Deadline] = {}
    for d in Deadline.objects.filter(case__in=cases, met_at__isnull=True).select_related("rule").order_by("due_at"):
        nexts.setdefault(d.case_id, d)
    far = timezone.now() + dt.timedelta(days=36500)
    for case in cases:
        case.next_deadline = nexts.get(case.pk)  # type: ignore[attr-defined]
    cases.sort(key=lambda c: c.next_deadline.due_at if c.next_deadline else far)  # type: ignore[attr-defined]
    if cases:
        audit_record(
            actor=user, action=Action.LIST, target_type="case", target_id=",".join(str(c.pk) for c in cases)[:40],
            unit_path=cases[0].unit_path, summary=f"Danh sách {len(cases)} vụ việc", request=request,
            extra={"ids": [c.pk for c in cases]},
        )  # fmt: skip
    return cases


def overdue_deadlines(now: dt.datetime | None = None) -> QuerySet[Deadline]:
    now = now or timezone.now()
    return Deadline.objects.filter(met_at__isnull=True, due_at__lt=now, case__closed_at__isnull=True)


def visible_case_ids_for_children(user: User, child_ids: list[int]) -> dict[int, list[Case]]:
    """For registry pages: the cases of these children that the user may see (none reveals the others)."""
    out: dict[int, list[Case]] = {}
    for case in cases_for_user(user).filter(child_id__in=child_ids):
        if case.child_id is not None:  # always: filtered on it
            out.setdefault(case.child_id, []).append(case)
    return out


def child_cases(user: User, child_id: int, *, request: Any = None) -> list[Case]:
    """The child's cases this user may see (none reveals that others exist), for the registry's child page.

    Showing them is audited here, like every other read of case data."""
    cases = list(cases_for_user(user).filter(child_id=child_id))
    if cases:
        audit_record(
            actor=user, action=Action.LIST, target_type="case", target_id=",".join(str(c.pk) for c in cases)[:40],
            unit_path=cases[0].unit_path, summary="Vụ việc trên trang trẻ em: " + ", ".join(c.code for c in cases),
            request=request, extra={"ids": [c.pk for c in cases], "child": child_id},
        )  # fmt: skip
    return cases


@dataclass(frozen=True)
class AbuseCount:
    form: str
    sex: str
    age_group: str
    setting: str
    children: int


def abused_children_counts(unit_path: str, start: dt.date, end: dt.date) -> list[AbuseCount]:
    """Abused children by form, sex, age group and setting, for cases received in [start, end] below a unit.

    A child counts once per (form, sex, age group, setting) however many cases; unidentified children count
    once per case. For the Circular 13/2021 indicator set (0101 and its disaggregations)."""
    qs = Case.objects.filter(
        unit_path__path_prefix=unit_path, category=Category.ABUSED, intake_at__date__gte=start, intake_at__date__lte=end
    ).select_related("child")
    seen: set[tuple[Any, ...]] = set()
    counts: Counter[tuple[str, str, str, str]] = Counter()
    for case in qs:
        age = case.child.age_on(date_vn(case.intake_at)) if case.child else case.child_age_estimate
        group = next((label for lo, hi, label in AGE_GROUPS if age is not None and lo <= age <= hi), "unknown")
        for form in case.abuse_forms:
            key = (form, case.child_sex or "unknown", group, case.setting or "unknown")
            who = ("child", case.child_id) if case.child_id else ("case", case.pk)
            if (key, who) in seen:
                continue
            seen.add((key, who))
            counts[key] += 1
    return [AbuseCount(*key, n) for key, n in sorted(counts.items())]


def plans_approved_on_time(unit_path: str, start: dt.date, end: dt.date) -> tuple[int, int]:
    """(plans approved within the legal time, plans approved) among approvals dated in [start, end]."""
    deadlines = Deadline.objects.filter(
        case__unit_path__path_prefix=unit_path, rule__code="approval_2wd", met_at__date__gte=start,
        met_at__date__lte=end,
    )  # fmt: skip
    total = deadlines.count()
    on_time = sum(1 for d in deadlines.only("met_at", "due_at") if d.met_at is not None and d.met_at <= d.due_at)
    return on_time, total
