"""Reads of support programmes: who the rules make eligible on a date, rounds and lists in a user's scope, a
child's support history, the fund ledger, and the rows the indicator of children assisted counts.

Who lived where on a date is the registry's `Residence.objects.on(day)` (the rule the indicators count by): a child
who moved away before the date is not on the list of the unit left, and is on the list of the unit moved to.
Eligibility reads every circumstance row (a case-derived group makes a child eligible too), but the groups a list
shows never name a case-derived group (they are case data, `registry.confidential`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from treem.accounts.scope import scope_queryset
from treem.core.dates import age_on, years_before
from treem.registry.models import (
    CHILD_AGE_LIMIT,
    Child,
    Circumstance,
    CircumstanceKind,
    CircumstanceType,
    HouseholdPoverty,
    PovertyStatus,
    Residence,
)
from treem.registry.selectors import dob_range_for_ages, registry_changed_child_ids
from treem.units.models import Unit

from .models import Beneficiary, BeneficiaryStatus, Delivery, Donation, FundSpending, Programme, Round
from .rules import Rule, first_match, parse_rules


def known_codes() -> tuple[frozenset[str], frozenset[str]]:
    """The special-circumstance letters and the risk codes that exist."""
    rows = CircumstanceType.objects.values_list("kind", "code")
    groups = frozenset(c for k, c in rows if k == CircumstanceKind.SPECIAL)
    return groups, frozenset(c for k, c in rows if k == CircumstanceKind.RISK)


def parse_programme_rules(data: Any) -> list[Rule]:
    groups, risks = known_codes()
    return parse_rules(data, groups=groups, risks=risks)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A child the rules make eligible on the date, where the child lived that day."""

    child: Child
    commune: Unit
    village: Unit | None
    unit_path: str
    groups: tuple[str, ...]  # law letters shown (case-derived groups left out)
    reason: str  # the label (Vietnamese) of the first rule that matched


def residences_on(unit: Unit, on: dt.date) -> QuerySet[Residence]:
    """Where the children of the unit and below lived on `on` (merged-away records left out)."""
    return Residence.objects.on(on).filter(unit_path__path_prefix=unit.path, child__merged_into__isnull=True)


def _circumstances(
    children: QuerySet[Any], on: dt.date
) -> dict[int, tuple[list[tuple[int, str, bool]], set[tuple[str, bool]]]]:
    """child id -> ([(sort order, group letter, shown)], {(risk code, shown)}) on the day; not shown: case data."""
    out: dict[int, tuple[list[tuple[int, str, bool]], set[tuple[str, bool]]]] = {}
    rows = (
        Circumstance.objects.on(on)
        .filter(child_id__in=children)
        .values_list("child_id", "type__kind", "type__code", "type__sort_order", "confidential", "type__confidential")
    )
    for child_id, kind, code, order, secret, type_secret in rows:
        groups, risks = out.setdefault(child_id, ([], set()))
        if kind == CircumstanceKind.SPECIAL:
            groups.append((order, code, not (secret or type_secret)))
        else:
            risks.add((code, not (secret or type_secret)))
    return out


def _poverty_on(on: dt.date) -> QuerySet[HouseholdPoverty]:
    return HouseholdPoverty.objects.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))


def _poverty(households: QuerySet[Any], on: dt.date) -> dict[int, str]:
    """household id -> its poverty status on the day (poor wins over near-poor if both were recorded)."""
    out: dict[int, str] = {}
    qs = _poverty_on(on).filter(household_id__in=households)
    for household_id, status in qs.values_list("household_id", "status"):
        if out.get(household_id) != PovertyStatus.POOR:
            out[household_id] = status
    return out


def eligible(programme: Programme, unit: Unit, on: dt.date) -> list[Candidate]:
    """The children living in `unit` and below on `on` whom the programme's rules make eligible that day, by place
    and name. Ages are completed years on `on`; a child without a date of birth is not listed (add by hand)."""
    rules = parse_programme_rules(programme.rules)
    earliest, latest = dob_range_for_ages(min(r.min_age for r in rules), max(r.max_age for r in rules), on)
    residences = residences_on(unit, on).filter(
        child__date_of_birth__gte=earliest, child__date_of_birth__lte=min(latest, on)
    )
    children = residences.values("child_id")
    circumstances = _circumstances(children, on)
    poverty = _poverty(residences.values("child__household_id"), on)
    found: list[Candidate] = []
    rows = residences
    if all(r.groups is not None or r.risk is not None or r.poverty is not None for r in rules):
        # Every rule needs a group, a risk or a poverty status that day: only the children who have one are read
        # (a province has hundreds of thousands of children, a few percent of them in a group).
        having = Q(pk__in=[])
        if any(r.groups is not None or r.risk is not None for r in rules):
            having |= Q(child_id__in=Circumstance.objects.on(on).values("child_id"))
        if any(r.poverty is not None for r in rules):
            having |= Q(child__household_id__in=_poverty_on(on).values("household_id"))
        rows = rows.filter(having)
    rows = rows.select_related("child", "commune", "village").order_by(
        "unit_path", "child__name_key", "child__date_of_birth", "child_id"
    )
    for residence in rows:
        child = residence.child
        assert child.date_of_birth is not None  # noqa: S101 - filtered above
        groups, risks = circumstances.get(child.pk, ([], set()))
        age, pov = age_on(child.date_of_birth, on), poverty.get(child.household_id)
        every_risk = [r for r, _s in risks]
        if first_match(rules, age=age, groups=[g for _o, g, _s in groups], risks=every_risk, poverty=pov):
            shown = tuple(g for _o, g, s in sorted(set(groups)) if s)
            # The reason is a rule the child meets without case data; met only through case data, the programme.
            rule = first_match(rules, age=age, groups=shown, risks=[r for r, s in risks if s], poverty=pov)
            reason = rule.label_vi if rule is not None else programme.name_vi
            found.append(Candidate(child, residence.commune, residence.village, residence.unit_path, shown, reason))
    return found


def shown_groups(child: Child, on: dt.date) -> tuple[str, ...]:
    """The law letters of the child's groups on the day, case-derived groups left out (a list is no case file)."""
    groups, _risks = _circumstances(Child.objects.filter(pk=child.pk).values("pk"), on).get(child.pk, ([], set()))
    return tuple(g for _o, g, s in sorted(set(groups)) if s)


def residence_on(child: Child, on: dt.date) -> Residence | None:
    return Residence.objects.on(on).filter(child=child).select_related("commune", "village").first()


# --- rounds and lists in a user's scope ---------------------------------------------------------------------------


def programmes() -> QuerySet[Programme]:
    return Programme.objects.filter(is_active=True).select_related("source").order_by("code")


def rounds_for(user: Any, programme: Programme) -> QuerySet[Round]:
    return scope_queryset(user, programme.rounds.select_related("unit")).order_by("-on", "unit_path")


def list_rows(round_: Round, *, with_excluded: bool = True) -> QuerySet[Beneficiary]:
    qs = round_.beneficiaries.select_related("child", "village", "commune", "delivery")
    if not with_excluded:
        qs = qs.exclude(status=BeneficiaryStatus.EXCLUDED)
    return qs.order_by("unit_path", "child__name_key", "child__date_of_birth", "pk")


def child_history(user: Any, child: Child) -> list[Beneficiary]:
    """The child's places on support lists (rounds in the user's scope), newest first, with their deliveries."""
    qs = Beneficiary.objects.filter(child=child).select_related("round__programme", "delivery")
    qs = scope_queryset(user, qs, path_field="round__unit_path")
    return list(qs.order_by("-round__on", "-pk"))


# --- the Child Protection Fund ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LedgerLine:
    day: dt.date
    what: str
    amount_in: int
    amount_out: int
    unit: Unit
    delivery: Delivery | None = None


@dataclass(frozen=True, slots=True)
class Ledger:
    lines: list[LedgerLine]
    total_in: int
    total_out: int

    @property
    def balance(self) -> int:
        return self.total_in - self.total_out


def fund_ledger(user: Any, unit: Unit) -> Ledger:
    """Donations in and spending out of the funds of `unit` and below (in the user's scope), newest first."""
    donations = scope_queryset(user, Donation.objects.select_related("unit"), within=unit)
    spending = scope_queryset(
        user, FundSpending.objects.select_related("unit", "delivery__beneficiary__child"), within=unit
    )
    lines = [LedgerLine(d.received_on, d.donor, d.amount, 0, d.unit) for d in donations]
    lines += [LedgerLine(s.spent_on, s.purpose, 0, s.amount, s.unit, s.delivery) for s in spending]
    lines.sort(key=lambda line: line.day, reverse=True)
    return Ledger(lines, sum(x.amount_in for x in lines), sum(x.amount_out for x in lines))


# --- what the indicator of children in special circumstances assisted counts ----------------------------------------


def special_assisted_rows(roots: Iterable[str], start: dt.date, end: dt.date) -> list[tuple[str, str]]:
    """(place, sex) once per child who received a delivery between `start` and `end` (both included) while under 16
    and in a special-circumstance group (every row, case-derived ones too: a count names no one) on the day of it.
    The place is where the child lived on the list of the latest such delivery, so a child is counted once."""
    special = Circumstance.objects.filter(type__kind=CircumstanceKind.SPECIAL)
    spans: dict[int, list[tuple[dt.date, dt.date | None]]] = {}
    deliveries = Delivery.objects.filter(delivered_on__gte=start, delivered_on__lte=end)
    children = deliveries.values("beneficiary__child_id")
    for child_id, since, until in special.filter(child_id__in=children).values_list(
        "child_id", "valid_from", "valid_to"
    ):
        spans.setdefault(child_id, []).append((since, until))
    latest: dict[int, tuple[dt.date, int, str, str]] = {}
    rows = deliveries.filter(
        beneficiary__child__date_of_birth__gt=years_before(start, CHILD_AGE_LIMIT),
        beneficiary__child__merged_into__isnull=True,
    ).values_list(
        "pk", "delivered_on", "unit_path", "beneficiary__child_id", "beneficiary__child__sex",
        "beneficiary__child__date_of_birth",
    )  # fmt: skip
    for pk, day, path, child_id, sex, dob in rows:
        if dob is None or dob > day or age_on(dob, day) >= CHILD_AGE_LIMIT:
            continue
        if not any(since <= day and (until is None or until >= day) for since, until in spans.get(child_id, [])):
            continue
        if (day, pk) > latest.get(child_id, (dt.date.min, 0, "", ""))[:2]:
            latest[child_id] = (day, pk, path, sex)
    prefixes = tuple(roots)
    return [(path, sex) for _d, _pk, path, sex in latest.values() if path.startswith(prefixes)]


def delivery_changed_paths(since: dt.datetime) -> set[str]:
    """Places whose count of children assisted may have changed after `since`: deliveries recorded or changed, and
    children with deliveries whose registry record (their groups, their date of birth) changed."""
    paths = set(Delivery.objects.filter(updated_at__gt=since).values_list("unit_path", flat=True))
    changed = registry_changed_child_ids(since)
    if changed:
        qs = Delivery.objects.filter(beneficiary__child_id__in=changed)
        paths |= set(qs.values_list("unit_path", flat=True))
    return paths
