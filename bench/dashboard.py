"""Dashboard benchmark: the province dashboard at 1,000,000 children, through the whole Django stack.

Builds (or reuses) the province of `bench/indicators.py` (Hà Nội's 126 communes with 8 villages each, N children,
M cases), computes the stored data values of the dashboard's periods (the half year, the three before it for the
trend, and the year) when they are missing, then times `GET /dashboards/<province code>/?period=…` with Django's
test client (middleware, session, scope, every query, the whole template) for two readers:

- a central reader (no exact small figures): every figure hidden as the tables hide it (the suppression pattern is
  computed once per period and cached until the figures change, as on a server);
- the province specialist (exact figures): nothing hidden, every view audited (one row written per request);

and beside them the plain query of the data values the page shows (`publish.values_for` of the province and its
communes for the dashboard's indicators). It prints the first request (cold: suppression computed), then the
median and p95 of the next ones. Target: p95 ≤ 300 ms.

    .venv/bin/python bench/dashboard.py --children 100000                   # SQLite: seeds its own file in /tmp
    .venv/bin/python bench/dashboard.py --seed-from /tmp/treem-bench-ind.sqlite3   # copy the indicators bench's file
    .venv/bin/python bench/dashboard.py --reuse-db                          # again on the seeded file
    scripts/with-postgres .venv/bin/python bench/dashboard.py --db postgres # PostgreSQL, throwaway server

It never touches the developer's database: SQLite uses its own file under /tmp, PostgreSQL the TREEM_DATABASE_URL of
the environment (scripts/with-postgres starts a throwaway server).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SQLITE_FILE = Path("/tmp/treem-bench-dash.sqlite3")
PERIOD = "2025S2"
YEAR = "2025"


def _indicators_bench() -> Any:
    """bench/indicators.py as a module: its seed (same province, same data) and its Django setup."""
    spec = importlib.util.spec_from_file_location("bench_indicators", ROOT / "bench" / "indicators.py")
    assert spec is not None  # noqa: S101 - the file ships beside this one
    assert spec.loader is not None  # noqa: S101
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def setup(db: str, *, reuse: bool, seed_from: Path | None) -> Any:
    ind = _indicators_bench()
    ind.SQLITE_FILE = SQLITE_FILE
    if db == "sqlite" and not reuse and seed_from is not None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(seed_from, SQLITE_FILE)
        reuse = True
    os.environ.setdefault("TREEM_DB_CONN_MAX_AGE", "600")
    ind.setup_django(db, reuse=reuse)
    return ind, reuse


def ensure_values(province: Any) -> dict[str, float]:
    """Compute the dashboard's periods that have no stored values yet; returns seconds per computed period."""
    from treem.core.periods import Period
    from treem.dashboards.selectors import trend_periods
    from treem.indicators.models import DataValue
    from treem.indicators.services import compute

    periods = [*trend_periods(Period.parse(PERIOD)), Period.parse(YEAR)]
    done = {}
    for period in periods:
        if not DataValue.objects.filter(period=str(period), unit=province).exists():
            done[str(period)] = compute(period, [province]).seconds
    return done


def readers(province: Any) -> dict[str, Any]:
    from treem.accounts import roles
    from treem.accounts.models import Role, User
    from treem.accounts.roles import roles_sync
    from treem.units.models import Level, Structure, Unit

    roles_sync()
    nation = Unit.objects.get(structure=Structure.CURRENT, level=Level.NATION)
    out = {}
    for username, role, unit in (
        ("bench-central", roles.CENTRAL_VIEWER, nation),
        ("bench-province", roles.PROVINCE_SPECIALIST, province),
    ):
        user = User.objects.filter(username=username).first() or User.objects.create_user(
            username,
            password="x",
            role=Role.objects.get(code=role),
            unit=unit,  # noqa: S106 - a throwaway database
        )
        out[role] = user
    return out


def timed(fn: Any, repeat: int) -> tuple[float, list[float]]:
    """The first call (cold) and the next `repeat` calls, in milliseconds."""
    t0 = time.perf_counter()
    fn()
    first = (time.perf_counter() - t0) * 1000
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return first, times


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--children", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--requests", type=int, default=60, help="timed requests per reader, after the first")
    parser.add_argument("--reuse-db", action="store_true", help="SQLite: reuse the file of a previous run")
    parser.add_argument("--seed-from", type=Path, help="SQLite: copy this file seeded by bench/indicators.py")
    args = parser.parse_args()
    reuse = args.reuse_db and args.db == "sqlite" and SQLITE_FILE.exists()
    ind, reuse = setup(args.db, reuse=reuse, seed_from=args.seed_from if args.db == "sqlite" else None)

    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from treem.core.periods import Period
    from treem.dashboards import selectors
    from treem.dashboards.index import components
    from treem.indicators.models import Indicator
    from treem.indicators.publish import values_for
    from treem.registry.models import Child
    from treem.units.models import Level, Structure, Unit

    if reuse:
        province = Unit.objects.get(structure=Structure.CURRENT, level=Level.PROVINCE, code=ind.PROVINCE)
    else:
        province = ind.seed(args.children, args.cases)
    computed = ensure_values(province)
    children = Child.objects.filter(unit_path__startswith=province.path).count()
    communes = Unit.objects.filter(parent=province, level=Level.COMMUNE).count()
    print(f"\n{connection.vendor}, {children:,} children in {province.name} ({communes} communes), period {PERIOD}")
    if computed:
        print("  computed first: " + ", ".join(f"{p} {s:.1f} s" for p, s in computed.items()))

    users = readers(province)
    url = reverse("dashboards:unit", args=[province.code]) + f"?period={PERIOD}"
    rows = []
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        cache.clear()

        def get(client: Client = client) -> None:
            response = client.get(url)
            assert response.status_code == 200, response.status_code  # noqa: S101 - a benchmark stops on errors

        first, times = timed(get, args.requests)
        rows.append((f"GET dashboard, {role}", first, times))

    period = Period.parse(PERIOD)
    core = list(Indicator.objects.filter(code__in=selectors.CORE))
    yearly = [c.indicator for c in components()]

    def plain() -> None:
        n = len(values_for(PERIOD, province, indicators=core, depth=1))
        n += len(values_for(YEAR, province, indicators=yearly, depth=1))
        for p in selectors.trend_periods(period)[:-1]:
            n += len(values_for(str(p), province, indicators=core[:1], depth=0))
        assert n > 0  # noqa: S101

    first, times = timed(plain, args.requests)
    rows.append(("plain query of its data values (values_for)", first, times))

    width = max(len(r[0]) for r in rows)
    print(f"\n{'':<{width}}  {'first':>8}  {'median':>8}  {'p95':>8}  (ms, {args.requests} requests)")
    for label, first, times in rows:
        print(f"{label:<{width}}  {first:8.1f}  {statistics.median(times):8.1f}  {p95(times):8.1f}")
    worst = max(p95(t) for label, _f, t in rows if label.startswith("GET"))
    print(f"\ntarget p95 ≤ 300 ms: {'met' if worst <= 300 else 'missed'} ({worst:.0f} ms)")


if __name__ == "__main__":
    main()
