"""Reads of disasters and epidemics: which events a user sees, the children living in the places hit during the
event (proposed as affected), the affected list with what each child received, and the rows the indicators of
children affected and helped count.

Who lived where during the event is the registry's residences: a residence overlapping the event's dates (moved in
on or before its last day, or since birth; not left before its first day) in one of the places hit. A child who had
moved away before the event is not proposed; a child who moved in during it is. The support a child received is
the ledger of deliveries (`Delivery`) of the relief rounds of the event (`Round.disaster`): nothing is entered twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from treem.accounts import capabilities as cap
from treem.accounts.permissions import Rule
from treem.accounts.scope import get_or_404, is_unrestricted, scope_queryset, scope_root
from treem.core.dates import today_vn, years_before
from treem.registry.models import CHILD_AGE_LIMIT, Residence
from treem.registry.selectors import registry_changed_child_ids
from treem.units.models import Unit

from .models import AffectedChild, AffectedStatus, Delivery, Disaster, DisasterKind, NeedKind

# Declare an event, propose and review its affected children, open its relief rounds: the commune officer (registry
# editor) or the province's specialist (plans.manage), in their scope.
MANAGE_DISASTERS = Rule("manage_disasters", all_of=(cap.REGISTRY_VIEW,), any_of=(cap.REGISTRY_EDIT, cap.PLANS_MANAGE))


def disaster_kinds() -> QuerySet[DisasterKind]:
    return DisasterKind.objects.filter(is_active=True).order_by("sort_order", "code")


def need_kinds() -> QuerySet[NeedKind]:
    return NeedKind.objects.filter(is_active=True).order_by("sort_order", "code")


def disasters_for(user: Any) -> QuerySet[Disaster]:
    """Events declared in the user's scope, and events declared above it that hit a place in it (a commune sees the
    province's flood on its villages)."""
    qs = Disaster.objects.select_related("kind", "unit")
    if not (user and user.is_authenticated and user.is_active):
        return qs.none()
    if is_unrestricted(user):
        return qs
    root = scope_root(user)
    if root is None:
        return qs.none()
    return qs.filter(Q(unit_path__path_prefix=root.path) | Q(places__path__path_prefix=root.path)).distinct()


def disaster_get(user: Any, pk: int) -> Disaster:
    """One event the user sees, or 404 (missing and out of scope look the same)."""
    return get_or_404(disasters_for(user), pk=pk)


def event_end(disaster: Disaster) -> dt.date:
    """The event's last day: its end, or today while it goes on (never before its start)."""
    return disaster.ended_on or max(today_vn(), disaster.started_on)


def _places_q(disaster: Disaster, field: str = "unit_path") -> Q:
    q = Q(pk__in=[])
    for path in disaster.places.values_list("path", flat=True):
        q |= Q(**{f"{field}__path_prefix": path})
    return q


def residences_during(disaster: Disaster, within: Q | None = None) -> QuerySet[Residence]:
    """Residences overlapping the event's dates, in the places hit, of children under 16 on its first day and born
    by its last (merged-away records left out)."""
    start, end = disaster.started_on, event_end(disaster)
    qs = Residence.objects.filter(Q(moved_in__isnull=True) | Q(moved_in__lte=end)).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=start)
    )
    qs = qs.filter(_places_q(disaster)).filter(
        child__merged_into__isnull=True,
        child__date_of_birth__gt=years_before(start, CHILD_AGE_LIMIT),
        child__date_of_birth__lte=end,
    )
    return qs.filter(within) if within is not None else qs


@dataclass(frozen=True, slots=True)
class Place:
    commune_id: int
    village_id: int | None
    unit_path: str


def where_during(residences: Iterable[Residence]) -> dict[int, Place]:
    """child id -> the place the child lived in during the event (the latest residence that overlaps it)."""
    out: dict[int, tuple[dt.date, Place]] = {}
    for r in residences:
        since = r.moved_in or dt.date.min
        if r.child_id not in out or since >= out[r.child_id][0]:
            out[r.child_id] = (since, Place(r.commune_id, r.village_id, r.unit_path))
    return {child_id: place for child_id, (_since, place) in out.items()}


def candidates(disaster: Disaster) -> dict[int, Place]:
    """The children who lived in the places hit during the event, with where."""
    rows = residences_during(disaster).only("child_id", "commune_id", "village_id", "unit_path", "moved_in")
    return where_during(rows)


def place_of(disaster: Disaster, child_id: int) -> Place | None:
    """Where the child lived in the event's declaring unit during the event (for a child added by hand), or None."""
    start, end = disaster.started_on, event_end(disaster)
    rows = Residence.objects.filter(child_id=child_id, unit_path__path_prefix=disaster.unit_path).filter(
        Q(moved_in__isnull=True) | Q(moved_in__lte=end), Q(left_on__isnull=True) | Q(left_on__gt=start)
    )
    return where_during(rows).get(child_id)


def helped_exists(disaster_field: str = "disaster") -> Exists:
    """A delivery of a relief round of the row's event to the row's child: the child was helped."""
    return Exists(
        Delivery.objects.filter(
            beneficiary__child_id=OuterRef("child_id"), beneficiary__round__disaster_id=OuterRef(f"{disaster_field}_id")
        )
    )


def affected_rows(user: Any, disaster: Disaster) -> QuerySet[AffectedChild]:
    """The event's rows for places in the user's scope, by place and name, each marked `helped`."""
    qs = scope_queryset(user, disaster.affected.all())
    return (
        qs.select_related("child", "commune", "village", "reviewed_by")
        .prefetch_related(Prefetch("needs", queryset=NeedKind.objects.order_by("sort_order")))
        .annotate(helped=helped_exists())
        .order_by("unit_path", "child__name_key", "child__date_of_birth", "pk")
    )


def deliveries_for(disaster: Disaster, child_ids: Iterable[int]) -> dict[int, list[Delivery]]:
    """child id -> the deliveries of the event's relief rounds the child received (the one ledger)."""
    out: dict[int, list[Delivery]] = {}
    qs = Delivery.objects.filter(beneficiary__round__disaster=disaster, beneficiary__child_id__in=list(child_ids))
    for d in qs.select_related("beneficiary__round").order_by("delivered_on", "pk"):
        out.setdefault(d.beneficiary.child_id, []).append(d)
    return out


@dataclass(frozen=True, slots=True)
class Counts:
    proposed: int
    confirmed: int
    not_affected: int
    helped: int


def counts(rows: Iterable[AffectedChild]) -> Counts:
    rows = list(rows)
    confirmed = [r for r in rows if r.status == AffectedStatus.CONFIRMED]
    return Counts(
        sum(1 for r in rows if r.status == AffectedStatus.PROPOSED), len(confirmed),
        sum(1 for r in rows if r.status == AffectedStatus.NOT_AFFECTED),
        sum(1 for r in confirmed if getattr(r, "helped", False)),
    )  # fmt: skip


def places_to_choose(unit: Unit) -> QuerySet[Unit]:
    """The communes and villages an event declared by `unit` can hit: the unit itself (a commune) and below."""
    return Unit.objects.filter(path__path_prefix=unit.path, level__in=("commune", "village"), is_active=True).order_by(
        "path"
    )


# --- what the indicators of children affected and helped count ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AffectedRow:
    unit_path: str  # where the child lived during the event
    child_id: int
    sex: str
    age: int | None  # completed years on the event's first day
    helped: bool  # received a delivery of one of the event's relief rounds by the period's last day


def affected_child_rows(roots: Iterable[str], start: dt.date, end: dt.date) -> list[AffectedRow]:
    """One row per child confirmed affected by an event that began in [start, end], below the given unit paths; a
    child hit by several events is one row (the latest event's place; helped if helped by any of them). Deliveries
    count when dated on or before `end`. Aggregate use only: no names leave."""
    helped = Exists(
        Delivery.objects.filter(
            beneficiary__child_id=OuterRef("child_id"), beneficiary__round__disaster_id=OuterRef("disaster_id"),
            delivered_on__lte=end,
        )
    )  # fmt: skip
    where = Q(pk__in=[])
    for root in roots:
        where |= Q(unit_path__path_prefix=root)
    qs = (
        AffectedChild.objects.filter(where, status=AffectedStatus.CONFIRMED, child__merged_into__isnull=True)
        .filter(disaster__started_on__gte=start, disaster__started_on__lte=end)
        .annotate(helped=helped)
        .values_list(
            "unit_path", "child_id", "child__sex", "child__date_of_birth", "disaster__started_on", "disaster_id",
            "helped",
        )
        .order_by("disaster__started_on", "disaster_id")
    )  # fmt: skip
    out: dict[int, AffectedRow] = {}
    for path, child_id, sex, dob, started, _event, was_helped in qs:
        age = None
        if dob is not None:
            age = started.year - dob.year - ((started.month, started.day) < (dob.month, dob.day))
        before = out.get(child_id)
        out[child_id] = AffectedRow(path, child_id, sex or "", age, bool(was_helped) or bool(before and before.helped))
    return list(out.values())


def affected_changed_paths(since: dt.datetime) -> set[str]:
    """Places whose counts may have changed after `since`: rows reviewed or added, deliveries of relief rounds, and
    children whose registry record changed."""
    paths = set(AffectedChild.objects.filter(updated_at__gt=since).values_list("unit_path", flat=True))
    delivered = Delivery.objects.filter(updated_at__gt=since, beneficiary__round__disaster__isnull=False)
    children = delivered.values("beneficiary__child_id")
    paths |= set(AffectedChild.objects.filter(child_id__in=children).values_list("unit_path", flat=True))
    changed = registry_changed_child_ids(since)
    if changed:
        paths |= set(AffectedChild.objects.filter(child_id__in=changed).values_list("unit_path", flat=True))
    return paths
