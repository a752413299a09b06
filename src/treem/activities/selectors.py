"""Who sees and records which activities, and the activities counted by type.

- A manager (capability plans.manage: the province specialist, the commune officer) sees and records the activities
  of their unit and below.
- An agency reporter (capability tasks.report) sees and records only the activities their own agencies organised
  (another agency's activity answers 404); they record an activity only as organised by one of their agencies.
- Club members are children of the registry in the recorder's scope; trainees are staff people in it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet, Sum

from treem.accounts import capabilities as cap
from treem.accounts import permissions as rules
from treem.accounts.scope import is_unrestricted, scope_root, unit_in_scope
from treem.core.money import vnd
from treem.plans.models import Agency
from treem.plans.selectors import agencies_of
from treem.units.models import Unit

from .models import Activity, ActivityType, CostLine

NOTHING = Q(pk__in=[])
SEE_ACTIVITIES = rules.SEE_PLANS  # the same people as the plans: managers and agency reporters


def _active(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def activities_for_user(user: Any) -> QuerySet[Activity]:
    """The activities the user may see (see the module)."""
    if not _active(user) or not SEE_ACTIVITIES.allows(user):
        return Activity.objects.none()
    if is_unrestricted(user):
        return Activity.objects.all()
    q = NOTHING
    if user.has_capability(cap.TASKS_REPORT):
        q |= Q(organiser__in=agencies_of(user))
    root = scope_root(user)
    if user.has_capability(cap.PLANS_MANAGE) and root is not None:
        q |= Q(unit_path__path_prefix=root.path)
    return Activity.objects.filter(q)


def may_record(user: Any, *, unit: Unit, organiser: Agency | None) -> bool:
    """Record (or edit) an activity of `unit` organised by `organiser` (see the module)."""
    if not _active(user):
        return False
    if user.has_capability(cap.PLANS_MANAGE) and unit_in_scope(user, unit):
        return True
    return bool(
        user.has_capability(cap.TASKS_REPORT)
        and organiser is not None
        and agencies_of(user).filter(pk=organiser.pk).exists()
        and unit.path.startswith(organiser.unit_path)
    )


def may_edit(user: Any, activity: Activity) -> bool:
    return may_record(user, unit=activity.unit, organiser=activity.organiser)


def organisers_for(user: Any) -> QuerySet[Agency]:
    """The agencies the user may name as organiser: their own (a reporter), those of their scope and above it."""
    if not _active(user):
        return Agency.objects.none()
    if is_unrestricted(user):
        return Agency.objects.filter(is_active=True)
    q = NOTHING
    if user.has_capability(cap.TASKS_REPORT):
        q |= Q(pk__in=agencies_of(user).values("pk"))
    root = scope_root(user)
    if user.has_capability(cap.PLANS_MANAGE) and root is not None:
        q |= Q(unit_path__path_prefix=root.path) | Q(unit_path__in=root.ancestor_paths())
    return Agency.objects.filter(q, is_active=True)


# --- counts by type -------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class TypeRow:
    code: str
    label: str
    count: int = 0
    participants: int = 0
    children: int = 0
    cost: int = 0

    @property
    def cost_text(self) -> str:
        return vnd(self.cost)


def in_period(qs: QuerySet[Activity], start: dt.date, end: dt.date) -> QuerySet[Activity]:
    """The activities that began in the period (an activity counts once, in the period it began)."""
    return qs.filter(starts_on__gte=start, starts_on__lte=end)


def under(roots: Iterable[str]) -> QuerySet[Activity]:
    q = NOTHING
    for root in roots:
        q |= Q(unit_path__path_prefix=root)
    return Activity.objects.filter(q)


def cost_by_activity(activities: QuerySet[Activity]) -> dict[int, int]:
    """The cost of each activity (all sources): its cost lines summed."""
    rows = (
        CostLine.objects.filter(activity__in=activities.values("pk"))
        .values("activity_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {r["activity_id"]: int(r["total"] or 0) for r in rows}


def summary_by_type(activities: QuerySet[Activity]) -> tuple[list[TypeRow], TypeRow]:
    """One row per active type (in its order, none left out: a type without activities shows zeros), and the total:
    activities, participants (the counts by sex, children and adults), children among them, cost in VND."""
    rows = {t.code: TypeRow(t.code, t.name) for t in ActivityType.objects.filter(is_active=True)}
    costs = cost_by_activity(activities)
    fields = ("pk", "type__code", "type__name_vi", "type__name_en")
    counts = ("children_male", "children_female", "adults_male", "adults_female")
    for a in activities.values(*fields, *counts).order_by():
        row = rows.get(a["type__code"])
        if row is None:  # a type made inactive since: still counted
            row = rows[a["type__code"]] = TypeRow(a["type__code"], a["type__name_vi"])
        row.count += 1
        row.children += a["children_male"] + a["children_female"]
        row.participants += sum(a[c] for c in counts)
        row.cost += costs.get(a["pk"], 0)
    total = TypeRow("total", "")
    for row in rows.values():
        total.count += row.count
        total.participants += row.participants
        total.children += row.children
        total.cost += row.cost
    return list(rows.values()), total


def trainings_of(worker: Any) -> QuerySet[Activity]:
    """The trainings a staff person is listed on, newest first (the "training received" panel of their page)."""
    qs = Activity.objects.filter(people__worker=worker).select_related("type", "organiser", "unit")
    return qs.order_by("-starts_on", "-pk")
