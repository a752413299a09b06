"""Indicator benchmark: every computed indicator, every disaggregation, every unit of one province.

Seeds N children (default 1,000,000: households, residences, special-circumstance intervals, the registry's
health/school fields) and M cases (default 20,000) in the communes and villages of one current province, into a
database of its own, then prints in one run:

1. the engine (`treem.indicators.services.compute`) for the province: every active computed indicator with every
   disaggregation for every unit (province, communes, villages), stored;
2. the same engine for `children` and `children_special` alone, beside hand-written SQL (one GROUP BY per breakdown,
   straight on the tables, summed to communes in Python) producing the same numbers, and a check that they agree;
3. the incremental refresh after 1,000 changes in one commune (children moved away, through the registry services).

Targets: (1) ≤ 3 s; (2) engine ≤ 2 × the hand-written SQL; (3) ≤ 1 s.

    .venv/bin/python bench/indicators.py --children 100000                    # SQLite, /tmp/treem-bench-ind.sqlite3
    .venv/bin/python bench/indicators.py                                      # SQLite, 1,000,000 children
    scripts/with-postgres .venv/bin/python bench/indicators.py --db postgres  # PostgreSQL, throwaway server

It never touches the developer's database: SQLite uses a fresh file under /tmp (`--reuse-db` keeps and reuses it),
PostgreSQL the TREEM_DATABASE_URL of the environment (scripts/with-postgres starts a throwaway server).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SQLITE_FILE = Path("/tmp/treem-bench-ind.sqlite3")
PROVINCE = "01"  # Hà Nội, 126 communes and wards since 1 July 2025
VILLAGES_PER_COMMUNE = 8
BATCH = 20_000
DOB_FIRST, DOB_LAST = dt.date(2009, 1, 1), dt.date(2026, 6, 30)
PERIOD = "2025"
CHANGES = 1000
ETHNICITIES = (["Kinh"] * 90) + ["Mường"] * 4 + ["Tày"] * 2 + ["Dao"] * 2 + ["Mông", "Thái"]


def setup_django(db: str, *, reuse: bool) -> None:
    if db == "sqlite":
        if not reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
        os.environ["TREEM_DATABASE_URL"] = f"sqlite:///{SQLITE_FILE}"
    elif not os.environ.get("TREEM_DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit("--db postgres needs TREEM_DATABASE_URL: run it as `scripts/with-postgres .venv/bin/python ...`")
    os.environ["DJANGO_SETTINGS_MODULE"] = "treem.config.settings.test"
    os.environ["TREEM_DEBUG"] = "false"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    connection.force_debug_cursor = False
    call_command("migrate", verbosity=0)


def seed(n_children: int, n_cases: int) -> Any:
    """Units, villages, households, children with residences and circumstances, cases. Returns the province."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from treem.cases.models import Case, CaseEvent, Category, Channel, EventKind, Setting, Status
    from treem.registry.models import (
        Child,
        ChildStatus,
        Circumstance,
        CircumstanceKind,
        CircumstanceType,
        Household,
        Nutrition,
        Residence,
        SchoolStatus,
    )
    from treem.units.models import Level, Structure, Unit
    from treem.units.services import units_load, village_add

    rng = random.Random(13)
    t0 = time.perf_counter()
    units_load()
    province = Unit.objects.get(structure=Structure.CURRENT, level=Level.PROVINCE, code=PROVINCE)
    communes = list(Unit.objects.filter(parent=province, level=Level.COMMUNE).order_by("path"))
    places = []
    for commune in communes:
        villages = [village_add(commune=commune, name=f"Thôn {i + 1}") for i in range(VILLAGES_PER_COMMUNE)]
        places.append((commune, villages))
    print(f"  units: {len(communes)} communes, {len(communes) * VILLAGES_PER_COMMUNE} villages "
          f"({time.perf_counter() - t0:.0f} s)")  # fmt: skip
    special = list(CircumstanceType.objects.filter(kind=CircumstanceKind.SPECIAL, is_active=True, confidential=False))
    span = (DOB_LAST - DOB_FIRST).days
    sqlite = connection.vendor == "sqlite"
    if sqlite:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-262144")
    now = timezone.now()
    done = 0
    with transaction.atomic():
        while done < n_children:
            households, kids = [], []
            while len(kids) < BATCH and done + len(kids) < n_children:
                commune, villages = rng.choice(places)
                village = rng.choice(villages)
                h = Household(commune=commune, village=village, unit_path=village.path, head_name="Chủ hộ")
                households.append(h)
                for _ in range(rng.choice((1, 1, 2, 2, 2, 3, 3, 4))):
                    dob = DOB_FIRST + dt.timedelta(days=rng.randrange(span))
                    age = (DOB_LAST - dob).days // 365
                    roll = rng.random()
                    kids.append(Child(
                        household=h, full_name="Trẻ em", name_key="tre em", sex="M" if rng.random() < 0.51 else "F",
                        date_of_birth=dob, ethnicity=rng.choice(ETHNICITIES), commune=commune, village=village,
                        unit_path=village.path, birth_registered=rng.random() < 0.97,
                        health_insurance_number="GD4010012345678" if rng.random() < 0.9 else "",
                        school_status=(SchoolStatus.PRESCHOOL if 3 <= age <= 5 else SchoolStatus.PRIMARY if age <= 10
                                       else SchoolStatus.LOWER_SECONDARY) if rng.random() > 0.01
                        else SchoolStatus.DROPPED_OUT,
                        nutrition=rng.choice((Nutrition.NORMAL,) * 8 + (Nutrition.UNDERWEIGHT, Nutrition.STUNTED)),
                        status=ChildStatus.MOVED_AWAY if roll < 0.02 else ChildStatus.ACTIVE,
                        status_date=dt.date(2025, 3, 1) if roll < 0.02 else None,
                    ))  # fmt: skip
            Household.objects.bulk_create(households, batch_size=5000)
            for k in kids:
                k.household_id = k.household.pk
            Child.objects.bulk_create(kids, batch_size=5000)
            Residence.objects.bulk_create([
                Residence(child=k, commune_id=k.commune_id, village_id=k.village_id, unit_path=k.unit_path,
                          left_on=k.status_date)
                for k in kids
            ], batch_size=5000)  # fmt: skip
            circs = []
            for k in kids:
                if rng.random() < 0.06:
                    start = k.date_of_birth + dt.timedelta(
                        days=rng.randrange(max(1, (DOB_LAST - k.date_of_birth).days))
                    )
                    circs.append(Circumstance(child=k, type=rng.choice(special), valid_from=start, source="bench"))
                    if rng.random() < 0.2:
                        circs.append(Circumstance(child=k, type=rng.choice(special), valid_from=start, source="bench"))
            Circumstance.objects.bulk_create(circs, batch_size=5000)
            done += len(kids)
            if done % 200_000 < BATCH:
                print(f"  … {done:,} children ({time.perf_counter() - t0:.0f} s)", flush=True)
        user = get_user_model().objects.create_user("bench", password="x")  # noqa: S106 - a throwaway database
        cases, events = [], []
        for i in range(n_cases):
            commune, _villages = rng.choice(places)
            intake = now - dt.timedelta(days=rng.randrange(900))
            cat = rng.choice((Category.ABUSED, Category.AT_RISK, Category.SPECIAL))
            cases.append(Case(
                code=f"B-{i:06d}", commune=commune, unit_path=commune.path, child_sex=rng.choice("MF"),
                child_age_estimate=rng.randrange(0, 17), intake_at=intake, channel=Channel.COMMUNITY, category=cat,
                abuse_forms=[rng.choice(("violence", "neglect", "sexual_abuse"))] if cat == Category.ABUSED else [],
                setting=rng.choice(Setting.values), description="bench", status=Status.IMPLEMENTATION,
                status_changed_at=intake, created_by=user,
            ))  # fmt: skip
        Case.objects.bulk_create(cases, batch_size=2000)
        for case in cases:
            if rng.random() < 0.7:
                at = min(case.intake_at + dt.timedelta(days=3), now - dt.timedelta(hours=1))  # never in the future
                events.append(CaseEvent(case=case, kind=EventKind.SERVICE, at=at, by=user))
        CaseEvent.objects.bulk_create(events, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if sqlite else "VACUUM ANALYZE")
    print(f"  seeded {n_children:,} children and {n_cases:,} cases in {time.perf_counter() - t0:.0f} s")
    return province


HAND_SQL = {
    # children: leaf place × sex × age band × ethnicity, on the day (all the breakdowns of `children`)
    "children": """
        SELECT r.unit_path, c.sex,
               CASE WHEN c.date_of_birth > %(y6)s THEN '0-5' WHEN c.date_of_birth > %(y11)s THEN '6-10'
                    ELSE '11-15' END AS age_group,
               c.ethnicity, COUNT(*)
        FROM registry_residence r JOIN registry_child c ON c.id = r.child_id
        WHERE (r.moved_in IS NULL OR r.moved_in <= %(day)s) AND (r.left_on IS NULL OR r.left_on > %(day)s)
          AND r.unit_path >= %(lo)s AND r.unit_path < %(hi)s AND c.merged_into_id IS NULL
          AND c.date_of_birth <= %(day)s AND c.date_of_birth > %(y16)s
        GROUP BY r.unit_path, c.sex, age_group, c.ethnicity""",
    # children in special circumstances: leaf × sex × group (a child once per group)
    "children_special": """
        SELECT r.unit_path, c.sex, t.code, COUNT(DISTINCT c.id)
        FROM registry_residence r JOIN registry_child c ON c.id = r.child_id
        JOIN registry_circumstance ci ON ci.child_id = c.id JOIN registry_circumstancetype t ON t.id = ci.type_id
        WHERE (r.moved_in IS NULL OR r.moved_in <= %(day)s) AND (r.left_on IS NULL OR r.left_on > %(day)s)
          AND r.unit_path >= %(lo)s AND r.unit_path < %(hi)s AND c.merged_into_id IS NULL
          AND c.date_of_birth <= %(day)s AND c.date_of_birth > %(y16)s
          AND t.kind = 'special' AND ci.valid_from <= %(day)s AND (ci.valid_to IS NULL OR ci.valid_to >= %(day)s)
        GROUP BY r.unit_path, c.sex, t.code""",
}


def hand_written(province: Any) -> tuple[float, dict[str, Counter[tuple[str, str, str]]]]:
    """The hand-written SQL, summed from leaf places to communes: (seconds, {indicator: (commune path, a, b) → n})."""
    from django.db import connection

    from treem.core.dates import years_before
    from treem.core.periods import Period

    day = Period.parse(PERIOD).end
    params = {"day": day, "y6": years_before(day, 6), "y11": years_before(day, 11), "y16": years_before(day, 16),
              "lo": province.path, "hi": province.path[:-1] + chr(ord(province.path[-1]) + 1)}  # fmt: skip
    out: dict[str, Counter[tuple[str, str, str]]] = {}
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        for name, sql in HAND_SQL.items():
            cursor.execute(sql, params)
            counts: Counter[tuple[str, str, str]] = Counter()
            for path, a, b, *_rest, n in cursor.fetchall():
                commune = ".".join(path.split(".")[:3]) + "."
                counts[(commune, a, b)] += n
            out[name] = counts
    return time.perf_counter() - t0, out


def engine_values(province: Any) -> dict[str, Counter[tuple[str, str, str]]]:
    from treem.indicators.models import DataValue
    from treem.indicators.services import parse_disagg
    from treem.units.models import Level

    out: dict[str, Counter[tuple[str, str, str]]] = {"children": Counter(), "children_special": Counter()}
    rows = DataValue.objects.filter(
        period=PERIOD, unit__parent=province, unit__level=Level.COMMUNE, indicator__code__in=list(out)
    ).values_list("indicator__code", "unit__path", "disagg", "value")
    for code, path, key, value in rows:
        d = parse_disagg(key)
        if code == "children" and set(d) == {"sex", "age_group"}:
            out[code][(path, d["sex"], d["age_group"])] += int(value)
        if code == "children_special" and set(d) == {"sex", "group"}:
            out[code][(path, d["sex"], d["group"])] += int(value)
    return out


def change_one_commune(province: Any) -> tuple[Any, int]:
    """1,000 children of the province's first commune move away after the last run, each through the registry
    services (the refresh must find them in the history tables)."""
    from treem.accounts.models import Role, User
    from treem.accounts.roles import COMMUNE_OFFICER, roles_sync
    from treem.registry import services
    from treem.registry.models import Child, ChildStatus
    from treem.units.models import Level, Unit

    roles_sync()
    commune = Unit.objects.filter(parent=province, level=Level.COMMUNE).order_by("path").first()
    officer = User.objects.filter(username="bench-officer").first() or User.objects.create_user(
        "bench-officer",
        password="x",
        role=Role.objects.get(code=COMMUNE_OFFICER),
        unit=commune,  # noqa: S106
    )
    active = Child.objects.filter(commune=commune, status=ChildStatus.ACTIVE, date_of_birth__lt=dt.date(2025, 1, 1))
    kids = list(active.order_by("pk")[:CHANGES])
    for child in kids:
        services.child_set_status(actor=officer, child=child, status=ChildStatus.MOVED_AWAY, on=dt.date(2025, 6, 1))
    return commune, len(kids)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--children", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--reuse-db", action="store_true", help="SQLite: reuse the seeded file of a previous run")
    args = parser.parse_args()
    reuse = args.reuse_db and args.db == "sqlite" and SQLITE_FILE.exists()
    setup_django(args.db, reuse=reuse)
    from django.db import connection

    from treem.core.periods import Period
    from treem.indicators.models import DataValue
    from treem.indicators.services import compute, computed_indicators, refresh
    from treem.units.models import Level, Structure, Unit

    if reuse:
        from django.utils import timezone

        from treem.cases.models import CaseEvent

        province = Unit.objects.get(structure=Structure.CURRENT, level=Level.PROVINCE, code=PROVINCE)
        DataValue.objects.all().delete()
        # a file seeded by an earlier version of this script may hold events dated after the seed: not changes
        CaseEvent.objects.filter(at__gt=timezone.now()).update(at=timezone.now() - dt.timedelta(hours=1))
    else:
        province = seed(args.children, args.cases)
    period = Period.parse(PERIOD)
    print(f"\n{connection.vendor}, {args.children:,} children, {args.cases:,} cases, province {province.name}\n")

    everything = compute(period, [province])
    two = computed_indicators(["children", "children_special"])
    runs = [compute(period, [province], indicators=two) for _ in range(3)]
    engine_two = min(r.counting_seconds for r in runs)
    engine_two_stored = min(r.seconds for r in runs)
    hand = min(hand_written(province)[0] for _ in range(3))
    _t, hand_numbers = hand_written(province)
    agree = engine_values(province) == hand_numbers
    commune, changed = change_one_commune(province)
    result = refresh(period)
    incremental = result.seconds if result else float("nan")

    rows = [
        ("every computed indicator × disaggregation × unit", f"{everything.seconds:.2f} s",
         f"{everything.indicators} indicators, {everything.units:,} units, {everything.values:,} values "
         f"(counting {everything.counting_seconds:.2f} s, "
         f"storing {everything.seconds - everything.counting_seconds:.2f} s)",
         "≤ 3 s"),
        ("children + children_special: engine, counting", f"{engine_two:.2f} s", "the figures in memory", ""),
        ("children + children_special: engine, stored", f"{engine_two_stored:.2f} s", "written to data values", ""),
        ("children + children_special: hand-written SQL", f"{hand:.2f} s", f"agree: {agree}", ""),
        ("engine ÷ hand-written SQL (counting)", f"{engine_two / hand:.2f}×", "", "≤ 2×"),
        ("engine ÷ hand-written SQL (stored)", f"{engine_two_stored / hand:.2f}×", "", ""),
        (f"refresh after {changed:,} changes in {commune.name}", f"{incremental:.2f} s",
         f"{result.units if result else 0:,} units recomputed", "≤ 1 s"),
    ]  # fmt: skip
    width = max(len(r[0]) for r in rows)
    for label, figure, note, target in rows:
        print(f"{label:<{width}}  {figure:>9}  {target:>6}  {note}")
    if not agree:
        sys.exit("the engine and the hand-written SQL disagree")


if __name__ == "__main__":
    main()
