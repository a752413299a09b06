"""Read models for the base UI: the work inbox of the home page, and a unit with its sub-units and what lies below
each of them."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from treem.accounts import capabilities as cap
from treem.accounts import permissions as rules
from treem.accounts.models import User
from treem.accounts.scope import scope_queryset, scope_root
from treem.cases.access import active_delegation, cases_for_user
from treem.cases.models import Case, Notification, RapidAlert, Status
from treem.cases.outcomes import unresolved_days, unresolved_q
from treem.cases.selectors import clock_filter, open_rapid_alerts, unread_notifications
from treem.core.dates import date_vn, today_vn
from treem.core.text import fold
from treem.imports.models import ImportJob, JobStatus
from treem.matching.selectors import queue_for_user
from treem.plans.selectors import overdue_tasks
from treem.registry.models import Child, ChildStatus
from treem.registry.selectors import WITHOUT_ID, ageing_out_range, children_for_user
from treem.reporting.selectors import inbox_counts as report_counts
from treem.units.models import PATH_SEP, Level, Unit

COUNTED_LEVELS = (Level.DISTRICT, Level.COMMUNE, Level.VILLAGE)
TABLE_LEVELS = (Level.COMMUNE, Level.VILLAGE)  # the sub-unit table's count columns


def name_order(unit: Unit) -> tuple[str, str]:
    """Units in the order of their names without the type word ("Xã Bình Lư" before "Phường Đoàn Kết"), as a
    reader looks them up; without diacritics, like the registry's own name order."""
    return fold(unit.short_name or unit.name), fold(unit.name)


@dataclass(slots=True)
class SubUnitRow:
    unit: Unit
    counts: dict[str, int] = field(default_factory=dict)  # level -> number of units of that level below
    users: int = 0
    children: int = 0


@dataclass(slots=True)
class UnitOverview:
    unit: Unit
    totals: dict[str, int]
    rows: list[SubUnitRow]
    ancestors: list[Unit]
    children: int = 0
    columns: list[str] = field(default_factory=list)  # the levels counted per row that some row has (no empty column)


def unit_overview(unit: Unit, *, visible_root: Unit | None = None) -> UnitOverview:
    """The unit's direct sub-units with counts of units, users and children below each; four queries in all."""
    children = sorted(Unit.objects.filter(parent=unit, is_active=True), key=name_order)
    rows = {c.path: SubUnitRow(c) for c in children}
    depth = unit.path.count(PATH_SEP)
    totals: Counter[str] = Counter()
    per_child: dict[str, Counter[str]] = defaultdict(Counter)
    below = Unit.objects.filter(path__path_prefix=unit.path, is_active=True, level__in=COUNTED_LEVELS).exclude(
        pk=unit.pk
    )
    for path, level in below.values_list("path", "level").iterator(chunk_size=5000):
        totals[level] += 1
        child_path = PATH_SEP.join(path.split(PATH_SEP)[: depth + 1]) + PATH_SEP
        if child_path != path:
            per_child[child_path][level] += 1
    user_counts: Counter[str] = Counter()
    for path in User.objects.filter(unit__path__path_prefix=unit.path, is_active=True).values_list(
        "unit__path", flat=True
    ):
        child_path = PATH_SEP.join(path.split(PATH_SEP)[: depth + 1]) + PATH_SEP
        user_counts[child_path] += 1
    child_counts: Counter[str] = Counter()
    active = Child.objects.filter(unit_path__path_prefix=unit.path, status=ChildStatus.ACTIVE, merged_into__isnull=True)
    for path, n in active.values_list("unit_path").annotate(n=Count("pk")).order_by():
        child_counts[PATH_SEP.join(path.split(PATH_SEP)[: depth + 1]) + PATH_SEP] += n
    for path, row in rows.items():
        row.counts = dict(per_child[path])
        row.users = user_counts[path]
        row.children = child_counts[path]
    ancestors: list[Unit] = []
    if visible_root is not None and unit.pk != visible_root.pk:
        paths = [p for p in unit.ancestor_paths() if p.startswith(visible_root.path) and p != unit.path]
        ancestors = list(Unit.objects.filter(path__in=paths).order_by("path"))
    columns = [str(level) for level in TABLE_LEVELS if any(row.counts.get(level) for row in rows.values())]
    return UnitOverview(
        unit=unit, totals=dict(totals), rows=list(rows.values()), ancestors=ancestors,
        children=sum(child_counts.values()), columns=columns,
    )  # fmt: skip


# --- the work inbox on the home page ------------------------------------------------------------------------------

INBOX_LIST_LIMIT = 5  # waiting imports named on the home page
NOTICE_LIMIT = 10  # notices and rapid reports listed (the badge counts them all)


@dataclass(frozen=True, slots=True)
class InboxItem:
    key: str
    label: str
    count: int
    url: str  # the filtered list the count counts
    tone: str = ""  # "danger" for late work, "warn" for work about to be late


@dataclass(slots=True)
class InboxBlock:
    key: str
    title: str
    items: list[InboxItem]


@dataclass(slots=True)
class NoticePanel:
    """What the user was told and has not yet marked read (or, for a rapid report, acknowledged)."""

    notices: list[Notification] = field(default_factory=list)
    alerts: list[RapidAlert] = field(default_factory=list)
    unread: int = 0

    @property
    def not_listed(self) -> int:
        """Unread beyond the lists' limit (counted in the badge, not listed)."""
        return self.unread - len(self.notices) - len(self.alerts)


@dataclass(slots=True)
class Inbox(NoticePanel):
    blocks: list[InboxBlock] = field(default_factory=list)
    waiting_imports: list[ImportJob] = field(default_factory=list)
    book_unit: Unit | None = None  # a village collaborator's village: its household book is linked

    @property
    def block_keys(self) -> list[str]:
        return [b.key for b in self.blocks]

    def item(self, key: str) -> InboxItem:
        return next(i for b in self.blocks for i in b.items if i.key == key)

    def count(self, key: str) -> int:
        return self.item(key).count


def _url(name: str, **query: str) -> str:
    return f"{reverse(name)}?{urlencode(query)}" if query else reverse(name)


def notice_panel(user: User) -> NoticePanel:
    """The user's unread notices (for those who see cases) and open rapid reports (for supervisors); at most four
    queries."""
    panel = NoticePanel()
    if rules.SEE_CASES.allows(user):
        notices = unread_notifications(user)
        panel.notices = list(notices[:NOTICE_LIMIT])
        panel.unread += len(panel.notices) if len(panel.notices) < NOTICE_LIMIT else notices.count()
    alerts = open_rapid_alerts(user)
    panel.alerts = list(alerts[:NOTICE_LIMIT])
    panel.unread += len(panel.alerts) if len(panel.alerts) < NOTICE_LIMIT else alerts.count()
    return panel


def unread_count(user: User) -> int:
    """The navigation badge: unread notices and open rapid reports, counted (one or two queries)."""
    if not (user and user.is_authenticated):
        return 0
    n = unread_notifications(user).count() if rules.SEE_CASES.allows(user) else 0
    return n + open_rapid_alerts(user).count()


def _decides(user: User) -> bool:
    """Takes the commune chairman's decisions: the chairman, or a vice-chairman under a delegation running today."""
    root = scope_root(user)
    if root is None or root.level != Level.COMMUNE:
        return False
    return user.has_capability(cap.CASES_APPROVE) or active_delegation(user, root) is not None


def _case_blocks(user: User, now: dt.datetime) -> list[InboxBlock]:
    """Counts of the cases the user may see, in one query; they name no case, so nothing is audited."""
    visible = Case.objects.filter(pk__in=cases_for_user(user).values("pk"))
    n = visible.aggregate(
        overdue=Count("pk", filter=Q(clock_filter("overdue", now))),
        due_soon=Count("pk", filter=Q(clock_filter("due_soon", now))),
        separations=Count("pk", filter=Q(clock_filter("separation", now))),
        plans=Count("pk", filter=Q(status=Status.PLAN_DRAFTED)),
        closures=Count("pk", filter=Q(status=Status.CLOSURE_PROPOSED)),
        unresolved=Count("pk", filter=unresolved_q(now)),
    )
    dashboard = "cases:dashboard"
    blocks = []
    cases = [
        InboxItem("cases_overdue", _("cases with an overdue clock"), n["overdue"], _url(dashboard, clock="overdue"),
                  "danger"),
        InboxItem("cases_due_soon", _("cases with a clock due soon"), n["due_soon"], _url(dashboard, clock="due_soon"),
                  "warn"),
        InboxItem("abuse_unresolved", _("abuse cases without legal outcome after %(n)d days") % {
            "n": unresolved_days()}, n["unresolved"], _url(dashboard, unresolved="1"), "warn"),
    ]  # fmt: skip
    plans_url = _url(dashboard, status=Status.PLAN_DRAFTED)
    if _decides(user):
        blocks.append(
            InboxBlock(
                "decide",
                _("Waiting for your decision"),
                [
                    InboxItem("plans_to_approve", _("plans to approve (Form 05)"), n["plans"], plans_url, "warn"),
                    InboxItem(
                        "closures_to_decide",
                        _("closures proposed"),
                        n["closures"],
                        _url(dashboard, status=Status.CLOSURE_PROPOSED),
                        "warn",
                    ),
                    InboxItem(
                        "separations_running",
                        _("separations running: extend or end"),
                        n["separations"],
                        _url(dashboard, clock="separation"),
                    ),
                ],
            )  # fmt: skip
        )
    else:
        cases.append(InboxItem("plans_waiting", _("plans waiting for the chairman's approval"), n["plans"], plans_url))
    blocks.append(InboxBlock("cases", _("Cases"), cases))
    return blocks


def _registry_block(user: User, today: dt.date) -> InboxBlock:
    earliest, latest = ageing_out_range(today)
    n = (
        children_for_user(user)
        .filter(status=ChildStatus.ACTIVE)
        .aggregate(
            without_id=Count("pk", filter=WITHOUT_ID),
            ageing_out=Count("pk", filter=Q(date_of_birth__gte=earliest, date_of_birth__lte=latest)),
        )
    )
    root = scope_root(user)
    title = _("Children")
    if root is not None and root.level == Level.VILLAGE:
        title = _("Tasks in %(village)s") % {"village": root.name}
    child_list = "registry:child_list"
    return InboxBlock("registry", title, [
        InboxItem("children_without_id", _("children without a personal ID"), n["without_id"],
                  _url(child_list, no_id="1"), "warn"),
        InboxItem("children_ageing_out", _("children turning 16 this month"), n["ageing_out"],
                  _url(child_list, ageing_out="1")),
    ])  # fmt: skip


def _reports_block(user: User, today: dt.date) -> InboxBlock:
    """Reports of the sub-units to review; the unit's own reports due soon or overdue (one or two queries)."""
    n = report_counts(user, today=today)
    url = reverse("reporting:index")
    items = [
        InboxItem("reports_overdue", _("reports past their deadline, not submitted"), n.overdue, url, "danger"),
        InboxItem("reports_due_soon", _("reports due soon"), n.due_soon, url, "warn"),
        InboxItem("reports_returned", _("reports returned for correction"), n.returned, url, "warn"),
    ]
    if user.has_capability(cap.REPORTS_REVIEW):
        items.insert(0, InboxItem("reports_to_review", _("reports of sub-units to review"), n.to_review, url, "warn"))
    return InboxBlock("reports", _("Reports"), items)


def inbox(user: User, *, now: dt.datetime | None = None) -> Inbox:
    """The work owed by this user today, by what the user's role may do, inside the user's scope: a fixed number of
    queries whatever the amount of work."""
    now = now or timezone.now()
    panel = notice_panel(user)
    box = Inbox(notices=panel.notices, alerts=panel.alerts, unread=panel.unread)
    if rules.SEE_CASES.allows(user):
        box.blocks.extend(_case_blocks(user, now))
    if rules.SEE_REGISTRY.allows(user):
        box.blocks.append(_registry_block(user, today_vn()))
        root = scope_root(user)
        box.book_unit = root if root is not None and root.level == Level.VILLAGE else None
    if rules.RUN_IMPORTS.allows(user):
        waiting = scope_queryset(user, ImportJob.objects.filter(status=JobStatus.VALIDATED))
        box.waiting_imports = list(waiting.select_related("unit").order_by("-created_at", "-pk")[:INBOX_LIST_LIMIT])
        count = len(box.waiting_imports)
        count = count if count < INBOX_LIST_LIMIT else waiting.count()
        box.blocks.append(InboxBlock("imports", _("Imports"), [
            InboxItem("imports_waiting", _("imports checked and waiting to be saved"), count,
                      _url("imports:list", status=JobStatus.VALIDATED), "warn"),
        ]))  # fmt: skip
    if rules.SEE_REPORTS.allows(user):
        box.blocks.append(_reports_block(user, date_vn(now)))
    if rules.REVIEW_DUPLICATES.allows(user):
        box.blocks.append(InboxBlock("duplicates", _("Duplicates"), [
            InboxItem("duplicates", _("pairs of records to review"), queue_for_user(user).count(),
                      reverse("matching:queue")),
        ]))  # fmt: skip
    if rules.SEE_PLANS.allows(user):
        box.blocks.append(InboxBlock("plans", _("Plan tasks"), [
            InboxItem("tasks_overdue", _("tasks past their deadline"), overdue_tasks(user, today=date_vn(now)).count(),
                      _url("plans:my_tasks", overdue="1"), "danger"),
        ]))  # fmt: skip
    return box
