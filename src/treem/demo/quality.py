"""Demo data quality: communes that differ. Each Lai Châu demo commune gets a diligence (Khun Há high, some low):
that share of its households visited this year and of its children's IDs verified by the commune police (a few
children without ID answered "not found"), through the registry services; then this month's snapshot and five
earlier months, each a little worse than the next (the trend the province reads). Synthetic data only. Safe to run
again: nothing is added once a demo commune has a recorded visit."""

from __future__ import annotations

import datetime as dt
import random

from treem.accounts.models import User
from treem.core.dates import today_vn
from treem.quality.figures import CommuneFigures
from treem.quality.models import Snapshot
from treem.quality.services import FIELDS, snapshot_take
from treem.registry import services
from treem.registry.models import Child, ChildStatus, Household, HouseholdVisit
from treem.units.models import Unit

PAST_MONTHS = 5
DILIGENCE = (0.9, 0.25, 0.6, 0.1, 0.75, 0.4)  # by commune, in path order (Khun Há first)
MAX_CHECKS = 120  # ID answers per commune: enough to differ, few enough for a quick seed


def _day(rng: random.Random, today: dt.date) -> dt.date:
    first = today.replace(month=1, day=1)
    return first + dt.timedelta(days=rng.randint(0, (today - first).days))


def seed_quality(*, province: Unit, communes: list[Unit], actor: User, seed: int = 2026) -> int:
    """Visits and ID answers in the `communes` (Khun Há first), then the snapshots of `province`; returns the
    number of communes in this month's snapshot."""
    if HouseholdVisit.objects.filter(household__commune__in=communes).exists():
        return 0
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
    today = today_vn()
    ordered = sorted(communes, key=lambda u: (u.short_name != "Khun Há", u.path))
    for i, commune in enumerate(ordered):
        diligence = DILIGENCE[i % len(DILIGENCE)]
        for household in Household.objects.filter(commune=commune, is_active=True).order_by("pk"):
            if rng.random() < diligence:
                services.household_visit_record(actor=actor, household=household, on=_day(rng, today))
        children = Child.objects.filter(
            commune=commune, status=ChildStatus.ACTIVE, merged_into=None, id_verified_on=None
        ).select_related("commune", "village")
        checks = 0
        for child in children.order_by("pk"):
            if checks >= MAX_CHECKS or rng.random() >= diligence:
                continue
            day = _day(rng, today)
            if child.personal_id:
                services.child_update(actor=actor, child=child, id_verified_on=day)
                services.id_check_record(
                    actor=actor, child=child, outcome="verified", on=day, personal_id=child.personal_id
                )
            else:
                services.id_check_record(actor=actor, child=child, outcome="not_found", on=day)
            checks += 1
    count = snapshot_take(root=province)
    _past_snapshots(province, today.replace(day=1), rng)
    return count


def _past_snapshots(province: Unit, month: dt.date, rng: random.Random) -> None:
    """Five months before `month`, each a little worse than the next: more gaps, fewer answers (demo only: the
    real history is what `treem quality snapshot` takes each month)."""
    current = list(Snapshot.objects.filter(month=month, unit_path__path_prefix=province.path))
    rows = []
    for back in range(1, PAST_MONTHS + 1):
        first = month
        for _ in range(back):
            first = (first - dt.timedelta(days=1)).replace(day=1)
        for s in current:
            worse = 1 + back * rng.uniform(0.05, 0.15)
            fewer = max(0.0, 1 - back * rng.uniform(0.1, 0.2))
            values = {name: getattr(s, name) for name in FIELDS}
            for name in ("no_id", "dob_inexact", "no_guardian", "no_village", "not_visited"):
                total = s.households if name == "not_visited" else s.children
                values[name] = min(total, round(values[name] * worse + back))
            for name in ("id_verified", "id_corrected", "id_not_found"):
                values[name] = round(values[name] * fewer)
            values["days_since_update"] = (s.days_since_update or 0) + 30 * back
            figures = CommuneFigures(None, **values)
            rows.append(
                Snapshot(
                    month=first, commune_id=s.commune_id, unit_path=s.unit_path, score=figures.score or 0.0, **values
                )
            )
    Snapshot.objects.bulk_create(rows, ignore_conflicts=True)
