"""Case reads. Every read of case data is audited here, so no view can forget to."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from treem.accounts import capabilities as cap
from treem.accounts.models import User
from treem.accounts.scope import get_or_404, scope_queryset
from treem.audit.models import Action
from treem.audit.services import audit_record
from treem.core.dates import date_vn
from treem.registry.models import CHILD_AGE_LIMIT

from .access import cases_for_user, sent_transfer_for_user, sent_transfers_for_user
from .clocks import SEPARATION_RULE
from .models import Case, CaseEvent, Category, Deadline, EventKind, LegalOutcome, Notification, RapidAlert, Status
from .outcomes import unresolved_q

# A clock is watched while its case is open, or after closure when it follows a placement (NĐ 56 Art. 43.2).
WATCHED = Q(case__closed_at__isnull=True) | Q(rule__survives_closure=True)
# Children only (Luật Trẻ em Art. 1: under 16); young persons of 16–17 are not counted as abused children.
AGE_GROUPS = ((0, 5, "0-5"), (6, 10, "6-10"), (11, 15, "11-15"))


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


# The dashboard's clock filter (`?clock=`): cases with a watched clock in that state. The home page counts the same.
CLOCK_FILTERS = {
    "overdue": _("Overdue"),
    "due_soon": _("Due soon"),
    "separation": _("Separation running"),
}


def clock_filter(clock: str, now: dt.datetime | None = None) -> Exists:
    """Cases with an open watched clock that is overdue, due soon (past its warning time), or a separation's
    (NĐ 56 Art. 32: the chairman extends or ends it)."""
    now = now or timezone.now()
    live = Deadline.objects.filter(WATCHED, met_at__isnull=True, case=OuterRef("pk"))
    if clock == "overdue":
        live = live.filter(due_at__lt=now)
    elif clock == "due_soon":
        live = live.filter(warn_at__lte=now, due_at__gte=now)
    elif clock == "separation":
        live = live.filter(rule__code=SEPARATION_RULE)
    return Exists(live)


def case_list(
    user: User, *, status: str = "", clock: str = "", unresolved: bool = False, helpline_ref: str = "",
    request: Any = None,
) -> list[Case]:  # fmt: skip
    """Open cases first, most urgent deadline first. The list itself (codes shown) is audited.

    `unresolved`: abuse cases without a legal outcome N days after intake, open or closed (`outcomes.unresolved_q`);
    `helpline_ref`: the cases whose 111 helpline reference starts with it, open or closed."""
    qs: QuerySet[Case] = cases_for_user(user).select_related("commune", "child")
    if clock in CLOCK_FILTERS:
        qs = qs.filter(clock_filter(clock))
    if unresolved or helpline_ref:
        if unresolved:
            qs = qs.filter(unresolved_q())
        if helpline_ref:
            qs = qs.filter(helpline_ref__istartswith=helpline_ref)
        if status:
            qs = qs.filter(status=status)
    elif status:
        qs = qs.filter(status=status)
    else:  # open cases, and closed ones whose placement is still followed up (NĐ 56 Art. 43.2)
        live = Deadline.objects.filter(WATCHED, met_at__isnull=True).values("case_id")
        qs = qs.exclude(~Q(pk__in=live), status=Status.CLOSED)
    cases = list(qs[:500])
    nexts: dict[int, Deadline] = {}
    deadlines = Deadline.objects.filter(WATCHED, case__in=cases, met_at__isnull=True)
    for d in deadlines.select_related("rule").order_by("due_at"):
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
    return Deadline.objects.filter(WATCHED, met_at__isnull=True, due_at__lt=now)


def due_soon_deadlines(now: dt.datetime | None = None) -> QuerySet[Deadline]:
    """Open clocks past their warning time and not yet due."""
    now = now or timezone.now()
    return Deadline.objects.filter(WATCHED, met_at__isnull=True, warn_at__lte=now, due_at__gte=now)


def unread_notifications(user: User) -> QuerySet[Notification]:
    """The user's notices not yet marked read, newest first."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).order_by("-created_at", "-pk")


def open_rapid_alerts(user: User) -> QuerySet[RapidAlert]:
    """Rapid reports not yet acknowledged, for a supervisor whose scope holds the province (none for others)."""
    if not user.has_capability(cap.CASES_SUPERVISE):
        return RapidAlert.objects.none()
    return scope_queryset(user, RapidAlert.objects.filter(acknowledged_at__isnull=True)).order_by("-created_at", "-pk")


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


@dataclass(frozen=True, slots=True)
class AbuseRow:
    """One abused child's case, for statistics: where it is handled, who (the child, or the case when the child is
    not identified), sex, age at intake, setting, forms, and whether it gave support and intervention."""

    unit_path: str
    who: tuple[str, int]
    sex: str
    age: int | None
    setting: str
    forms: tuple[str, ...]
    supported: bool


# Support and intervention given (NĐ 56 Arts. 24–31): emergency measures, a service or referral, a placement, or an
# approved plan being carried out.
SUPPORT_EVENTS = Q(kind__in=(EventKind.SERVICE, EventKind.PLACEMENT)) | Q(
    kind=EventKind.TRANSITION, to_status__in=(Status.EMERGENCY, Status.IMPLEMENTATION)
)


def _roots_q(field: str, roots: tuple[str, ...]) -> Q:
    q = Q()
    for root in roots:
        q |= Q(**{f"{field}__path_prefix": root})
    return q


def abuse_rows(roots: tuple[str, ...], start: dt.date, end: dt.date) -> list[AbuseRow]:
    """Cases received in [start, end] below the given unit paths about abused children under 16 on the intake date
    (Luật Trẻ em Art. 1). Aggregate use only: no names leave, so the read is not audited row by row."""
    support = CaseEvent.objects.filter(SUPPORT_EVENTS, case_id=OuterRef("pk"), at__date__lte=end)
    qs = (
        Case.objects.filter(
            _roots_q("unit_path", roots),
            category=Category.ABUSED,
            intake_at__date__gte=start,
            intake_at__date__lte=end,
        )  # fmt: skip
        .annotate(supported=Exists(support))
        .select_related("child")
        .only(
            "unit_path",
            "child_id",
            "child_sex",
            "child_age_estimate",
            "intake_at",
            "setting",
            "abuse_forms",
            "child__date_of_birth",
            "child__sex",
        )  # fmt: skip
    )
    rows = []
    for case in qs:
        age = case.child_age_at_intake
        if age is not None and age >= CHILD_AGE_LIMIT:
            continue
        sex = (case.child.sex if case.child is not None else "") or case.child_sex
        who = ("child", case.child_id) if case.child_id else ("case", case.pk)
        rows.append(AbuseRow(
            case.unit_path, who, sex, age, case.setting, tuple(case.abuse_forms or ()), bool(case.supported)
        ))  # fmt: skip
    return rows


def abused_children_counts(unit_path: str, start: dt.date, end: dt.date) -> list[AbuseCount]:
    """Abused children by form, sex, age group and setting, for cases received in [start, end] below a unit.

    A child counts once per (form, sex, age group, setting) however many cases; unidentified children count
    once per case. For the Circular 13/2021 indicator set (0101 and its disaggregations): only children, under 16
    on the intake date (Luật Trẻ em Art. 1); a case about a young person of 16–17 is not counted (`abuse_rows`)."""
    seen: set[tuple[Any, ...]] = set()
    counts: Counter[tuple[str, str, str, str]] = Counter()
    for row in abuse_rows((unit_path,), start, end):
        age = row.age
        group = next((label for lo, hi, label in AGE_GROUPS if age is not None and lo <= age <= hi), "unknown")
        for form in row.forms:
            key = (form, row.sex or "unknown", group, row.setting or "unknown")
            if (key, row.who) in seen:
                continue
            seen.add((key, row.who))
            counts[key] += 1
    return [AbuseCount(*key, n) for key, n in sorted(counts.items())]


def plan_approval_rows(roots: tuple[str, ...], start: dt.date, end: dt.date) -> list[tuple[str, bool]]:
    """(where the case is handled, approved on time) of each support plan approved in [start, end]."""
    deadlines = Deadline.objects.filter(
        _roots_q("case__unit_path", roots), rule__code="approval_2wd", met_at__date__gte=start, met_at__date__lte=end
    ).values_list("case__unit_path", "met_at", "due_at")
    return [(path, met is not None and met <= due) for path, met, due in deadlines]


def plans_approved_on_time(unit_path: str, start: dt.date, end: dt.date) -> tuple[int, int]:
    """(plans approved within the legal time, plans approved) among approvals dated in [start, end]."""
    rows = plan_approval_rows((unit_path,), start, end)
    return sum(1 for _path, on_time in rows if on_time), len(rows)


def outcome_rows(roots: tuple[str, ...], start: dt.date, end: dt.date) -> list[tuple[str, str, frozenset[str]]]:
    """(where the case is handled, the kind of its latest outcome in [start, end], every kind recorded in it) once per
    abuse case with a legal outcome dated in the period. Aggregate use only: no names leave."""
    rows = (
        LegalOutcome.objects.filter(
            _roots_q("case__unit_path", roots), case__category=Category.ABUSED, decided_on__gte=start,
            decided_on__lte=end,
        )
        .order_by("case_id", "decided_on", "pk")
        .values_list("case_id", "case__unit_path", "kind")
    )  # fmt: skip
    latest: dict[int, tuple[str, str]] = {}
    kinds: dict[int, set[str]] = {}
    for case_id, path, kind in rows:
        latest[case_id] = (path, kind)
        kinds.setdefault(case_id, set()).add(kind)
    return [(path, kind, frozenset(kinds[case_id])) for case_id, (path, kind) in latest.items()]


def case_changed_paths(since: dt.datetime) -> set[str]:
    """Where cases changed since a moment (received, a step, an event, a clock met): what statistics must redo."""
    paths = set(Case.objects.filter(created_at__gt=since).values_list("unit_path", flat=True))
    paths |= set(CaseEvent.objects.filter(at__gt=since).values_list("case__unit_path", flat=True))
    paths |= set(Deadline.objects.filter(met_at__gt=since).values_list("case__unit_path", flat=True))
    paths |= set(LegalOutcome.objects.filter(created_at__gt=since).values_list("unit_path", flat=True))
    return paths


def sent_case_get(user: Any, pk: int, *, request: Any = None) -> tuple[Case, Any, list[Any]]:
    """A case this user's commune transferred out: the case, the transfer, and its events up to the transfer (what
    the sending commune recorded), or 404. The read is audited (at the sending commune's path)."""
    transfer = sent_transfer_for_user(user, pk)
    if transfer is None:
        raise Http404
    case = Case.objects.select_related("commune", "child").get(pk=pk)
    events = [e for e in case.events.select_related("by") if (e.at, e.pk) <= (transfer.event.at, transfer.event.pk)]
    audit_record(
        actor=user, action=Action.VIEW, target_type="case", target_id=case.pk, unit_path=transfer.from_path,
        summary=f"Xem hồ sơ vụ việc đã chuyển {case.code} (đến ngày chuyển {date_vn(transfer.at):%d/%m/%Y})",
        request=request, extra={"transfer": transfer.pk},
    )  # fmt: skip
    return case, transfer, events


def sent_cases(user: Any) -> list[Any]:
    """The transfers out of the user's commune (or below a supervisor's unit) that the user may still read."""
    return sent_transfers_for_user(user)
