"""Reads of the registry, always through the accounts scope helper.

Circumstances are read through `confidential.visible_q`: a case-derived (confidential) group is shown only to those
who may see its case, and showing one writes an audit row (`audit_confidential_shown`). Counts count every row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils.translation import gettext as _

from treem.accounts.models import User
from treem.accounts.scope import scope_queryset, scope_root, unit_in_scope, visible_unit
from treem.audit.models import Action
from treem.audit.services import audit_record
from treem.core.dates import today_vn
from treem.core.expressions import Unindexed
from treem.core.text import fold
from treem.units.models import Level, Unit, province_path

from . import confidential
from .models import (
    CHILD_AGE_LIMIT,
    Child,
    ChildStatus,
    Circumstance,
    CircumstanceKind,
    DeathCause,
    Guardianship,
    Household,
    Incident,
    IncidentOutcome,
    Residence,
)

AGE_BANDS: dict[str, tuple[int, int]] = {  # label -> (min age, max age) inclusive
    "0-2": (0, 2),
    "3-5": (3, 5),
    "6-10": (6, 10),
    "11-14": (11, 14),
    "15": (15, 15),
    "16-17": (16, 17),
    "0-15": (0, 15),
    # the age groups of the statistics (TT 13/2021), so a figure can be checked against its list of children
    "0-5": (0, 5),
    "11-15": (11, 15),
}


def live_children() -> QuerySet[Child]:
    """Every child record that stands: records merged into another are left out (their survivor stands)."""
    return Child.objects.filter(merged_into__isnull=True)


def children_for_user(user: User) -> QuerySet[Child]:
    """The children the user may see (`live_children` in the user's scope)."""
    return scope_queryset(user, live_children())


def households_for_user(user: User) -> QuerySet[Household]:
    return scope_queryset(user, Household.objects.all())


def dob_range_for_ages(min_age: int, max_age: int, on: dt.date) -> tuple[dt.date, dt.date]:
    """Dates of birth of people aged min_age..max_age (full years) on `on`."""

    def years_before(day: dt.date, years: int) -> dt.date:
        try:
            return day.replace(year=day.year - years)
        except ValueError:  # 29 February
            return day.replace(year=day.year - years, day=28)

    latest = years_before(on, min_age)
    earliest = years_before(on, max_age + 1) + dt.timedelta(days=1)
    return earliest, latest


def search_filter(qs: QuerySet[Child], text: str) -> QuerySet[Child]:
    """Every typed word must start a word of the child's name, a guardian's name or the ID number."""
    for word in fold(text).split():
        qs = qs.filter(search_text__contains=" " + word)
    return qs


def match_reason(query: str, child: Child) -> str:
    """Why `child` matches the search `query` when the child's own name does not explain it: "mẹ: Mùa Mỷ Sua",
    "số định danh: 012215000001" (in the active language); "" when every word starts a word of the child's name.

    Follows `search_filter`'s rule (each typed word starts a word) over the same fields, in this order: the child's
    name, the guardians (by relation), the head of household, the ID number. Reads `child.guardianships` with their
    person and `child.household`: prefetch them for a list (`with_match_reasons`)."""
    own = fold(child.full_name).split()
    unexplained = [w for w in fold(query).split() if not _starts_a_word(own, w)]
    if not unexplained:
        return ""
    sources: list[tuple[list[str], str]] = [
        (fold(g.person.full_name).split(), _("%(relation)s: %(name)s") % {
            "relation": g.get_relation_display().lower(), "name": g.person.full_name})
        for g in child.guardianships.all()
    ]  # fmt: skip
    head = child.household.head_name if child.household_id else ""
    if head:
        sources.append((fold(head).split(), _("head of household: %(name)s") % {"name": head}))
    if child.personal_id:
        sources.append(([child.personal_id], _("personal ID: %(number)s") % {"number": child.personal_id}))
    reasons: list[str] = []
    for word in unexplained:
        reason = next((text for words, text in sources if _starts_a_word(words, word)), None)
        if reason is not None and reason not in reasons:
            reasons.append(reason)
    return "; ".join(reasons)


def _starts_a_word(words: list[str], prefix: str) -> bool:
    return any(w.startswith(prefix) for w in words)


def with_match_reasons(children: Iterable[Child], query: str) -> list[Child]:
    """The children, each with `match_reason` set for `query` (two queries for the whole list, none without one)."""
    found = list(children)
    if query.strip():
        prefetch_related_objects(found, "household", Prefetch(
            "guardianships", queryset=Guardianship.objects.select_related("person").order_by("pk")))  # fmt: skip
    for child in found:
        child.match_reason = match_reason(query, child) if query.strip() else ""  # type: ignore[attr-defined]
    return found


@dataclass
class ChildFilter:
    q: str = ""
    unit_id: int | None = None  # any unit; one the user may not see shows no one
    age_band: str = ""
    sex: str = ""
    ethnicity: str = ""
    group: str = ""  # special-circumstance code, or "any"
    risk: str = ""  # risk code, or "any"
    school_status: str = ""
    status: str = ChildStatus.ACTIVE
    on: dt.date | None = None
    no_id: bool = False  # without a personal ID number (the Đề án 06 clean-up list)
    id_unverified: bool = False  # with a personal ID the police have not yet verified (Đề án 06)
    ageing_out: bool = False  # turning 16 (no longer a child, Luật Trẻ em Art. 1) in the month of `on`


WITHOUT_ID = Q(personal_id__isnull=True) | Q(personal_id="")


def ageing_out_range(on: dt.date) -> tuple[dt.date, dt.date]:
    """Dates of birth of those who turn 16 (CHILD_AGE_LIMIT) in the month of `on`: born in that month 16 years
    before."""
    first = on.replace(day=1, year=on.year - CHILD_AGE_LIMIT)  # the 1st exists in every month of every year
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return first, last


def _in_circumstance(kind: str, code: str, on: dt.date, visible: Q | None = None) -> Exists:
    """In group `code` (or any group of `kind`) on `on`; among the rows `visible` selects when given."""
    qs = Circumstance.objects.on(on).filter(child=OuterRef("pk"), type__kind=kind)
    if visible is not None:
        qs = qs.filter(visible)
    if code and code != "any":
        qs = qs.filter(type__code=code)
    return Exists(qs)


def visible_circumstances(user: User) -> QuerySet[Circumstance]:
    """The circumstances the user may be shown: in scope, and case-derived ones only to those who see the case."""
    qs = Circumstance.objects.filter(confidential.visible_q(user))
    return scope_queryset(user, qs, path_field="child__unit_path")


def audit_confidential_shown(
    user: User, circumstances: list[Any], *, where: str, unit_path: str, action: str = Action.VIEW, request: Any = None
) -> None:
    """One audit row naming (by number) the case-derived circumstances a response shows; nothing when it shows none.
    The row says which records were shown, not what they say: auditors read it, and the group is case data."""
    shown = [c for c in circumstances if confidential.is_confidential(c)]
    if not shown:
        return
    ids = sorted({c.pk for c in shown})
    cases = sorted({c.source_case_id for c in shown if c.source_case_id})
    audit_record(
        actor=user, action=action, target_type="circumstance", target_id=",".join(map(str, ids))[:40],
        unit_path=unit_path or shown[0].source_unit_path, request=request,
        summary=f"Hiển thị {len(ids)} nhóm hoàn cảnh thuộc hồ sơ vụ việc: {where}",
        extra={"ids": ids, "cases": cases, "children": sorted({c.child_id for c in shown})},
    )  # fmt: skip


def child_list(user: User, f: ChildFilter) -> QuerySet[Child]:
    """The children the user may see, filtered; ordered by name."""
    on = f.on or today_vn()
    qs = children_for_user(user)
    unit = scope_root(user)
    if f.unit_id is not None:
        unit = visible_unit(user, f.unit_id)
        if unit is None:
            return qs.none()
    if unit is not None and unit_in_scope(user, unit):
        # The scope's prefix filter gives way to the unit's exact filter (the unit is the user's own or one checked
        # to lie in it): one indexed equality the planner estimates exactly, never two ranges on the same column.
        qs = in_unit(live_children(), unit)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.q:
        qs = search_filter(qs, f.q)
    if f.age_band in AGE_BANDS:
        earliest, latest = dob_range_for_ages(*AGE_BANDS[f.age_band], on)
        qs = _born_between(qs, earliest, latest)
    if f.sex:
        qs = qs.filter(sex=f.sex)
    if f.ethnicity:
        qs = qs.filter(ethnicity=f.ethnicity)
    if f.school_status:
        qs = qs.filter(school_status=f.school_status)
    if f.no_id:
        qs = qs.filter(WITHOUT_ID)
    if f.id_unverified:
        qs = qs.exclude(WITHOUT_ID).filter(id_verified_on__isnull=True)
    if f.ageing_out:
        earliest, latest = ageing_out_range(on)
        qs = _born_between(qs, earliest, latest)
    visible = confidential.visible_q(user)  # a filter never finds a child by a group the user may not see
    if f.group:
        qs = qs.filter(_in_circumstance(CircumstanceKind.SPECIAL, f.group, on, visible))
    if f.risk:
        qs = qs.filter(_in_circumstance(CircumstanceKind.RISK, f.risk, on, visible))
    return qs.select_related("village", "commune", "household").order_by("name_key", "date_of_birth", "pk")


def _born_between(qs: QuerySet[Child], earliest: dt.date, latest: dt.date) -> QuerySet[Child]:
    """A filter on the date of birth that leaves the choice of index to the scope (`in_unit`): on SQLite the range
    is kept off the indexes (`core.expressions.Unindexed`), which it would otherwise take for a province's list."""
    return qs.alias(born=Unindexed("date_of_birth")).filter(born__gte=earliest, born__lte=latest)


def in_unit(qs: QuerySet[Child], unit: Unit) -> QuerySet[Child]:
    """The children of `qs` in `unit` and below, as the one exact, indexed equality of its level, so that each
    database has one best plan for a page in name order whatever its statistics say: a village is its path, a
    commune its `commune_id` (index `child_commune_name`), a province its `province_path` (`child_province_name`);
    a district or the nation stays a prefix of the path (`child_path_name`)."""
    if unit.level == Level.VILLAGE:
        return qs.filter(unit_path=unit.path)
    if unit.level == Level.COMMUNE:
        return qs.filter(commune_id=unit.pk)
    if unit.level == Level.PROVINCE:
        return qs.alias(province=province_path()).filter(province=unit.path)
    return qs.filter(unit_path__path_prefix=unit.path)


def child_list_after(user: User, qs: QuerySet[Child], after: int) -> QuerySet[Child] | None:
    """The rows of `qs` (a `child_list`, ordered by name key, date of birth, pk) that come after the child `after`:
    the next page by keyset instead of OFFSET, which reads and drops every earlier row. None when `after` is no
    child the user sees (merged, moved away from the scope): the caller falls back to the numbered page."""
    key = children_for_user(user).filter(pk=after).values_list("name_key", "date_of_birth").first()
    if key is None:
        return None
    return qs.filter(_after(*key, after, nulls_last=connections[qs.db].features.nulls_order_largest))


def child_list_before(user: User, qs: QuerySet[Child], before: int) -> QuerySet[Child] | None:
    """The rows of `qs` that come before the child `before`, nearest first (the list's order reversed): the
    previous page by keyset. None when `before` is no child the user sees."""
    key = children_for_user(user).filter(pk=before).values_list("name_key", "date_of_birth").first()
    if key is None:
        return None
    earlier = _before(*key, before, nulls_last=connections[qs.db].features.nulls_order_largest)
    return qs.filter(earlier).order_by("-name_key", "-date_of_birth", "-pk")


def _before(name_key: str, dob: dt.date | None, pk: int, *, nulls_last: bool) -> Q:
    """`(name_key, date_of_birth, pk) < (…)`, NULL dates in the database's own order (see `_after`)."""
    if dob is None:
        tail = Q(date_of_birth__isnull=True, pk__lt=pk)
        if nulls_last:
            tail |= Q(date_of_birth__isnull=False)
    else:
        tail = Q(date_of_birth__lt=dob) | Q(date_of_birth=dob, pk__lt=pk)
        if not nulls_last:
            tail |= Q(date_of_birth__isnull=True)
    return Q(name_key__lt=name_key) | (Q(name_key=name_key) & tail)


def _after(name_key: str, dob: dt.date | None, pk: int, *, nulls_last: bool) -> Q:
    """`(name_key, date_of_birth, pk) > (…)` in the database's own order of a missing date of birth: PostgreSQL
    sorts NULL after every date, SQLite before."""
    if dob is None:
        tail = Q(date_of_birth__isnull=True, pk__gt=pk)
        if not nulls_last:
            tail |= Q(date_of_birth__isnull=False)
    else:
        tail = Q(date_of_birth__gt=dob) | Q(date_of_birth=dob, pk__gt=pk)
        if nulls_last:
            tail |= Q(date_of_birth__isnull=True)
    return Q(name_key__gt=name_key) | (Q(name_key=name_key) & tail)


def count_in_group_on(qs: QuerySet[Child], *, code: str, on: dt.date, kind: str = CircumstanceKind.SPECIAL) -> int:
    """How many of these children were in group `code` on date `on` (exact for any past date; counts every row,
    case-derived groups included: a count names no one).

    Only those who were children on `on` count: under 16 on that date (Luật Trẻ em Art. 1), by the date of birth;
    a young person of 16–17 kept in the registry is not a child. A record without a date of birth counts."""
    earliest, latest = dob_range_for_ages(0, CHILD_AGE_LIMIT - 1, on)
    children = Q(date_of_birth__gte=earliest, date_of_birth__lte=latest) | Q(date_of_birth__isnull=True)
    return qs.filter(children).filter(_in_circumstance(kind, code, on)).count()


def _circumstances_shown_to(user: User) -> Prefetch[Any]:
    qs = Circumstance.objects.filter(confidential.visible_q(user)).select_related("type", "subtype")
    return Prefetch("circumstances", queryset=qs)


def _incidents() -> Prefetch[Any]:
    """A child's injuries and accidents, newest first (not case data: whoever sees the child sees them)."""
    qs = Incident.objects.select_related("kind").order_by("-occurred_on", "-occurred_time", "-pk")
    return Prefetch("incidents", queryset=qs)


def child_detail(user: User, pk: int, *, request: Any = None) -> Child:
    """The child page's child; its circumstances are the ones the user may see (case-derived ones audited)."""
    from treem.accounts.scope import get_for_user_or_404

    qs = (
        Child.objects.filter(merged_into__isnull=True)
        .select_related("household", "village", "commune")
        .prefetch_related(
            Prefetch("guardianships", queryset=Guardianship.objects.select_related("person")),
            _circumstances_shown_to(user),
            _incidents(),
        )
    )
    child = get_for_user_or_404(user, qs, pk=pk)
    audit_confidential_shown(
        user, list(child.circumstances.all()), where=f"trang trẻ em #{child.pk}", unit_path=child.unit_path,
        request=request,
    )  # fmt: skip
    return child


def merged_into(user: User, pk: int) -> int | None:
    """The record a merged-away child of the user's scope was merged into (None: not merged, or not visible)."""
    from treem.accounts.scope import scope_queryset

    qs = scope_queryset(user, Child.objects.filter(pk=pk, merged_into__isnull=False))
    return qs.values_list("merged_into_id", flat=True).first()


def household_book(user: User, pk: int, *, request: Any = None) -> Household:
    """A household with its children and adults, as the paper book shows it."""
    from treem.accounts.scope import get_for_user_or_404

    qs = Household.objects.select_related("village", "commune").prefetch_related(
        Prefetch(
            "children",
            queryset=Child.objects.filter(merged_into__isnull=True)
            .order_by("date_of_birth")
            .prefetch_related(
                Prefetch("guardianships", queryset=Guardianship.objects.select_related("person")),
                _circumstances_shown_to(user),
                _incidents(),
            ),
        ),
        "adults",
        "poverty_periods",
    )
    household = get_for_user_or_404(user, qs, pk=pk)
    audit_confidential_shown(
        user, [c for child in household.children.all() for c in child.circumstances.all()],
        where=f"trang hộ gia đình #{household.pk}", unit_path=household.unit_path, request=request,
    )  # fmt: skip
    return household


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    who: str
    what: str  # "created" | "changed" | "deleted"
    subject: str
    changes: list[tuple[str, str, str]]  # (field label, old, new)
    reason: str = ""  # the change reason the writer gave (a merge, its undo, an import…), stored in Vietnamese


def _display(model: Any, field_name: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    field = model._meta.get_field(field_name)
    if field.many_to_one:
        target = field.related_model._default_manager.filter(pk=value).first()
        return str(target) if target is not None else f"#{value}"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        from django.utils.translation import gettext as _

        return _("yes") if value else _("no")
    return str(value)


def _entries(records: list[Any], subject: str) -> list[TimelineEntry]:
    out = []
    by_time = sorted(records, key=lambda r: (r.history_date, r.history_id))
    previous = None
    kinds = {"+": "created", "~": "changed", "-": "deleted"}
    for rec in by_time:
        changes: list[tuple[str, str, str]] = []
        model = rec.instance_type
        if previous is not None and rec.history_type == "~":
            delta = rec.diff_against(previous)
            for change in delta.changes:
                if change.field in {"updated_at", "search_text", "name_key", "unit_path"}:
                    continue
                label = str(model._meta.get_field(change.field).verbose_name)
                changes.append(
                    (label, _display(model, change.field, change.old), _display(model, change.field, change.new))
                )
            if not changes and not rec.history_change_reason:
                previous = rec
                continue
        user = rec.history_user
        who = (user.get_full_name() or user.username) if user else "—"
        reason = rec.history_change_reason or ""
        out.append(TimelineEntry(rec.history_date, who, kinds[rec.history_type], subject, changes, reason))
        previous = rec
    return out


def child_timeline(child: Child, *, user: User | None = None) -> list[TimelineEntry]:
    """Every version of the child and of its circumstances and guardians, newest first. Versions of case-derived
    circumstances only for a `user` who may see them (none without a user)."""
    from django.utils.translation import gettext as _

    entries = _entries(list(child.history.select_related("history_user")), _("Child record"))
    circumstances: dict[int, list[Any]] = {}
    history = Circumstance.history.filter(child_id=child.pk).filter(confidential.visible_q(user))
    for rec in history.select_related("history_user", "type"):
        circumstances.setdefault(rec.id, []).append(rec)
    for recs in circumstances.values():
        entries.extend(_entries(recs, str(recs[0].type)))
    guardians: dict[int, list[Any]] = {}
    for rec in Guardianship.history.filter(child_id=child.pk).select_related("history_user", "person"):
        guardians.setdefault(rec.id, []).append(rec)
    for recs in guardians.values():
        entries.extend(_entries(recs, _("Guardian: %(name)s") % {"name": recs[0].person.full_name}))
    incidents: dict[int, list[Any]] = {}
    for rec in Incident.history.filter(child_id=child.pk).select_related("history_user", "kind"):
        incidents.setdefault(rec.id, []).append(rec)
    for recs in incidents.values():
        first = recs[0]
        subject = _("Injury or accident: %(kind)s, %(date)s") % {
            "kind": first.kind,
            "date": first.occurred_on.strftime("%d/%m/%Y"),
        }
        entries.extend(_entries(recs, subject))
    return sorted(entries, key=lambda e: e.at, reverse=True)


def registry_changed_child_ids(since: dt.datetime) -> set[int]:
    """Children whose record, circumstances or household changed after `since` (from the history tables): what a
    statistic counted for them may have changed, in every place they lived."""
    ids = set(Child.history.filter(history_date__gt=since).values_list("id", flat=True))
    ids |= set(Circumstance.history.filter(history_date__gt=since).values_list("child_id", flat=True))
    ids |= set(Incident.history.filter(history_date__gt=since).values_list("child_id", flat=True))
    households = Household.history.filter(history_date__gt=since).values_list("id", flat=True)
    ids |= set(Child.objects.filter(household_id__in=households).values_list("pk", flat=True))
    return ids


# --- injuries, accidents and deaths, for the statistics -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EventRow:
    """A child's injury or death as the statistics count it: where the child lived that day, sex, age that day
    (None without a date of birth), and the kind (the injury kind, or for a death its cause)."""

    child_id: int
    unit_path: str
    day: dt.date
    sex: str
    age: int | None
    kind: str
    injury: bool = True  # a death: whether it was from an injury or accident


def _lived_at(residences: list[tuple[dt.date | None, dt.date | None, str]], day: dt.date) -> str | None:
    """Where the child lived on `day`: the residence that had begun (or runs since birth) and had not ended before
    that day. A residence ending that day still counts (the child drowned, then was no longer living there); on the
    day of a move, the new place."""
    best: tuple[dt.date, str] | None = None
    for moved_in, left_on, path in residences:
        start = moved_in or dt.date.min
        if start <= day and (left_on is None or left_on >= day) and (best is None or start >= best[0]):
            best = (start, path)
    return best[1] if best else None


def _places(child_ids: set[int]) -> dict[int, list[tuple[dt.date | None, dt.date | None, str]]]:
    out: dict[int, list[tuple[dt.date | None, dt.date | None, str]]] = {}
    rows = Residence.objects.filter(child_id__in=child_ids).values_list("child_id", "moved_in", "left_on", "unit_path")
    for child_id, moved_in, left_on, path in rows:
        out.setdefault(child_id, []).append((moved_in, left_on, path))
    return out


def _within(path: str, roots: tuple[str, ...]) -> bool:
    return any(path.startswith(root) for root in roots)


def _age(dob: dt.date | None, day: dt.date) -> int | None:
    if dob is None:
        return None
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def incident_rows(roots: tuple[str, ...], start: dt.date, end: dt.date) -> list[EventRow]:
    """Injuries and accidents in [start, end] of children under 16 that day, where they lived that day, below the
    given unit paths (merged-away records left out). Aggregate use only: no names leave."""
    qs = Incident.objects.filter(
        occurred_on__gte=start, occurred_on__lte=end, child__merged_into__isnull=True
    ).values_list("child_id", "occurred_on", "kind__code", "child__sex", "child__date_of_birth", "child__unit_path")
    items = list(qs.order_by("occurred_on", "pk"))
    places = _places({i[0] for i in items})
    rows = []
    for child_id, day, kind, sex, dob, current in items:
        age = _age(dob, day)
        if age is not None and age >= CHILD_AGE_LIMIT:
            continue
        path = _lived_at(places.get(child_id, []), day) or current
        if _within(path, roots):
            rows.append(EventRow(child_id, path, day, sex, age, kind))
    return rows


def death_rows(roots: tuple[str, ...], start: dt.date, end: dt.date) -> list[EventRow]:
    """Children who died in [start, end] under 16, where they lived that day, below the given unit paths; once
    each (the death is the child's status). `kind`: the injury kind of the incident that ended in death for a death
    from injury ("unknown" when none is recorded), else the cause ("illness", "other", "unknown")."""
    qs = Child.objects.filter(
        status=ChildStatus.DECEASED, status_date__gte=start, status_date__lte=end, merged_into__isnull=True
    ).values_list("pk", "status_date", "death_cause", "sex", "date_of_birth", "unit_path")
    items = list(qs)
    ids = {i[0] for i in items}
    places = _places(ids)
    fatal = dict(
        Incident.objects.filter(child_id__in=ids, outcome=IncidentOutcome.DEATH)
        .order_by("occurred_on", "pk")
        .values_list("child_id", "kind__code")
    )
    rows = []
    for child_id, day, cause, sex, dob, current in items:
        if day is None:  # never: filtered on the date
            continue
        age = _age(dob, day)
        if age is not None and age >= CHILD_AGE_LIMIT:
            continue
        if cause == DeathCause.INJURY:
            kind = fatal.get(child_id, "unknown")
        elif cause in (DeathCause.ILLNESS, DeathCause.OTHER):
            kind = DEATH_CAUSE_OPTION[cause]
        else:
            kind = "unknown"
        path = _lived_at(places.get(child_id, []), day) or current
        if _within(path, roots):
            rows.append(EventRow(child_id, path, day, sex, age, kind, cause == DeathCause.INJURY))
    return rows


# The `group` option of a death not from injury (an injury death carries its injury kind).
DEATH_CAUSE_OPTION: dict[str, str] = {DeathCause.ILLNESS: "illness", DeathCause.OTHER: "other_cause"}


def incident_changed_paths(since: dt.datetime) -> set[str]:
    """The places where injuries or deaths counted for a period may have changed since `since`: every place the
    children concerned lived."""
    ids = set(Incident.history.filter(history_date__gt=since).values_list("child_id", flat=True))
    ids |= set(Child.history.filter(history_date__gt=since).values_list("id", flat=True))
    return set(Residence.objects.filter(child_id__in=ids).values_list("unit_path", flat=True).distinct())
