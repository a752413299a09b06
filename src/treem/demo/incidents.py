"""Demo injuries and accidents: two years of incidents in the demo communes, as the seeds describe the season (more
drownings from May to August, when children swim in streams and ponds), two drownings that ended in death and one
death from illness. Recorded through the registry services (audited, versioned) by the commune officer, the village
collaborator of Bản Hon, or the administrator for the other communes. Seeded before the indicators are computed, so
`child_injuries`, `child_deaths` and their rates have data. Safe to run again: nothing is added once there are
incidents in the demo communes."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from treem.accounts.models import User
from treem.cases.models import Case
from treem.core.dates import today_vn
from treem.registry import services
from treem.registry.models import Child, ChildStatus, DeathCause, Incident, IncidentKind
from treem.units.models import Unit

SUMMER = (5, 6, 7, 8)
# kind, place, weight outside summer, weight in summer; what the child was doing
KINDS: tuple[tuple[str, str, int, int, str], ...] = (
    ("drowning", "water", 1, 8, "Tắm suối cùng bạn"),
    ("traffic", "road", 3, 3, "Đi xe đạp đến trường"),
    ("fall", "home", 4, 3, "Trèo cây hái quả"),
    ("burn", "home", 3, 1, "Đun nước giúp mẹ"),
    ("animal_bite", "other", 2, 2, "Chăn trâu"),
    ("poisoning", "home", 1, 1, "Ăn nấm hái trong rừng"),
    ("electric_shock", "home", 1, 1, "Cắm sạc điện thoại"),
)
OUTCOMES = (("home_care", 5), ("health_station", 4), ("hospital", 2), ("disability", 1))
SUPERVISION = (("", 2), ("adult", 3), ("child", 3), ("alone", 2))
PER_CHILDREN = 20  # one incident a year for about this many children: far more than life, so every page has data


@dataclass(frozen=True, slots=True)
class IncidentStats:
    incidents: int
    deaths: int


def _months(today: dt.date, count: int = 24) -> list[tuple[int, int]]:
    """The `count` whole months before today's, oldest first."""
    year, month = today.year, today.month
    out = []
    for _ in range(count):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        out.append((year, month))
    return out[::-1]


def _pick[T](rng: random.Random, weighted: tuple[tuple[T, int], ...]) -> T:
    return rng.choices([w[0] for w in weighted], weights=[w[1] for w in weighted])[0]


def seed_incidents(
    *, communes: list[Unit], officer: User, collaborator: User, admin: User, seed: int = 2026
) -> IncidentStats:
    if Incident.objects.filter(child__commune__in=communes).exists():
        return IncidentStats(0, 0)
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
    kinds = {k.code: k for k in IncidentKind.objects.all()}
    with_cases = set(Case.objects.exclude(child=None).values_list("child_id", flat=True))
    children = [
        c for c in Child.objects.filter(commune__in=communes, status=ChildStatus.ACTIVE, merged_into=None)
        .exclude(date_of_birth=None).select_related("commune", "village").order_by("pk")
        if c.pk not in with_cases and " sua" not in c.search_text
    ]  # fmt: skip
    if not children:
        return IncidentStats(0, 0)
    months = _months(today_vn())
    per_month = max(1, len(children) // PER_CHILDREN // 12)
    incidents = deaths = 0
    dead: set[int] = set()
    for year, month in months:
        summer = month in SUMMER
        for _ in range(per_month * (2 if summer else 1)):
            code, place, cool, warm, activity = rng.choices(KINDS, weights=[k[3] if summer else k[2] for k in KINDS])[0]
            day = dt.date(year, month, rng.randint(1, 28))
            child = rng.choice(children)
            age = child.age_on(day)
            if child.pk in dead or age is None or not 1 <= age <= 15:
                continue
            outcome = _pick(rng, OUTCOMES)
            if code == "drowning" and summer and deaths < 2 and age >= 4:
                outcome, deaths = "death", deaths + 1
                dead.add(child.pk)
            actor = officer if child.commune_id == officer.unit_id else admin
            if child.village_id is not None and child.village_id == collaborator.unit_id and incidents % 2:
                actor = collaborator
            services.incident_record(
                actor=actor, child=child, kind=kinds[code], occurred_on=day, place=place, outcome=outcome,
                occurred_time=dt.time(rng.choice((7, 10, 12, 15, 16, 17)), rng.choice((0, 15, 30, 45))),
                activity=activity, supervision=_pick(rng, SUPERVISION), source="Dữ liệu mẫu",
            )  # fmt: skip
            incidents += 1
    ill = next((c for c in reversed(children) if c.pk not in dead), None)
    if ill is not None:
        day = dt.date(*months[-3], 12)
        actor = officer if ill.commune_id == officer.unit_id else admin
        services.child_set_status(
            actor=actor, child=ill, status=ChildStatus.DECEASED, on=day, death_cause=DeathCause.ILLNESS,
            note="Sốt xuất huyết (dữ liệu mẫu)",
        )  # fmt: skip
        deaths += 1
    return IncidentStats(incidents, deaths)
