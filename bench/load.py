"""Load benchmark: 20 people at work on `treem serve` over a 1,000,000-child registry, measured by locust.

Seeds a database of its own (the children, households and circumstances of bench/registry_search.py in three
current provinces, plus residences, cases assigned to case workers and the stored indicator values of the last
half-year and year), starts `treem serve` on 127.0.0.1 with the production settings (DEBUG off, persistent
connections, the second factor required of case workers), and runs locust headless against it for a bounded time.
The people (bench/load_users.py) are a realistic mix, each signed in with an account of their own:

- commune officers: a name search typed into the list (the HTMX results), a household, a child, a child's record
  edited and saved, a filtered list;
- case workers (password and TOTP code): their case list, one of their cases (every read audited);
- province specialists: an indicator table of their province by commune (a half-year or a year, a breakdown), a
  name search across the province.

Each waits a think time between actions (default 1–5 s, as people read a page); `--think 0` makes them hammer the
server with no pause, which shows where the machine stops. Prints requests/s, p50/p95/p99 and errors per action and
in total; the target is p95 ≤ 200 ms with no error.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/load.py --children 20000 --minutes 1                # SQLite, a quick look
    .venv/bin/python bench/load.py                                             # SQLite, 1,000,000 children, 10 min
    scripts/with-postgres .venv/bin/python bench/load.py --db postgres         # PostgreSQL, throwaway server

SQLite uses its own file (/tmp/treem-load.sqlite3; `--reuse-db` keeps the seeded one for the next run), PostgreSQL
the TREEM_DATABASE_URL of the environment and refuses a database that already holds children it did not seed. The
load only ever goes to 127.0.0.1. Run it on a quiet machine: the server, the database and locust share its cores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SQLITE_FILE = Path("/tmp/treem-load.sqlite3")
PASSWORD = "Bench-load-2026!"  # noqa: S105 - accounts of a throwaway benchmark database
TARGET_P95_MS = 200.0
OFFICERS, CASE_WORKERS, SPECIALISTS = 10, 4, 6  # the 20 people; bench/load_users.py gives each class its count
CASES_PER_WORKER = 40
OTHER_CASES = 20_000  # the rest of the three provinces' case load, so that the case tables have a real size
SAMPLE = 300  # children and households per officer's commune that the officer opens
MARK = "load-bench"  # the seeded rows' source; the accounts are bench.load.*


def registry_search() -> Any:
    """bench/registry_search.py as a module: its seed (names, households, circumstances in three provinces)."""
    name = "bench_registry_search"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / "registry_search.py")
    assert spec is not None  # noqa: S101 - the file ships beside this one
    assert spec.loader is not None  # noqa: S101
    module = sys.modules[name] = importlib.util.module_from_spec(spec)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def database_url(db: str, *, reuse: bool) -> str:
    if db == "sqlite":
        if not reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{SQLITE_FILE}"
    url = os.environ.get("TREEM_DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("--db postgres needs TREEM_DATABASE_URL: run it as `scripts/with-postgres .venv/bin/python ...`")
    return url


def server_env(url: str, var_dir: Path) -> dict[str, str]:
    """The settings the server runs with: a deployment's (base settings from TREEM_*), on loopback."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TREEM_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="treem.config.settings.base",
        TREEM_DATABASE_URL=url,
        TREEM_DEBUG="false",
        TREEM_SECRET_KEY=secrets.token_urlsafe(50),
        TREEM_ALLOWED_HOSTS="127.0.0.1",
        TREEM_DB_CONN_MAX_AGE="600",
        TREEM_OTP_REQUIRED="true",
        TREEM_VAR_DIR=str(var_dir),
        TREEM_MEDIA_ROOT=str(var_dir / "media"),
        TREEM_STATIC_ROOT=str(var_dir / "static"),
        TREEM_LOG_LEVEL="WARNING",
        TREEM_LOGIN_FAILURE_LIMIT="1000",  # 20 sign-ins from one address; a failure still counts as an error here
    )
    return env


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


# --- seeding --------------------------------------------------------------------------------------------------------


def seed(args: argparse.Namespace) -> None:
    """The registry (bench/registry_search.py's seed), then what the people of the load need beside it."""
    from django.core.management import call_command
    from django.db import connection

    from treem.registry.models import Child

    call_command("migrate", verbosity=0)
    if Child.objects.exists():
        if not Child.objects.filter(circumstances__source="bench").exists() and not args.reuse_db:
            sys.exit("This database already holds children: the benchmark only runs on a database of its own.")
        print(f"Reusing the seeded database ({Child.objects.count():,} children)")
        return
    rs = registry_search()
    print(f"Seeding {args.children:,} children ({connection.vendor})", flush=True)
    t0 = time.perf_counter()
    seeded, rows = rs.seed(args.children, rs.PROVINCES)
    print(f"  {seeded:,} children, {rows:,} rows in {time.perf_counter() - t0:.0f} s", flush=True)
    with connection.cursor() as cursor:  # where each child lives since birth: what the indicators count by
        cursor.execute(
            "INSERT INTO registry_residence (child_id, commune_id, village_id, unit_path, moved_in, left_on) "
            "SELECT id, commune_id, village_id, unit_path, NULL, NULL FROM registry_child"
        )
    print(f"  residences written ({time.perf_counter() - t0:.0f} s)", flush=True)


def people(rng: random.Random) -> dict[str, Any]:
    """The 20 accounts and what each opens; created once per database (bench.load.* accounts)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from treem.accounts import roles
    from treem.accounts.models import Role, User
    from treem.registry.models import Child, Household
    from treem.units.models import Level, Structure, Unit

    rs = registry_search()
    provinces = list(
        Unit.objects.filter(structure=Structure.CURRENT, level=Level.PROVINCE, code__in=rs.PROVINCES).order_by("code")
    )
    first = provinces[0]
    communes = rs.communes_by_size(first)[0][:OFFICERS]  # communes of average size
    role = {code: Role.objects.get(code=code) for code in (roles.COMMUNE_OFFICER, roles.CASE_WORKER)}
    role[roles.PROVINCE_SPECIALIST] = Role.objects.get(code=roles.PROVINCE_SPECIALIST)

    def account(username: str, role_code: str, unit: Unit) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(username, password=PASSWORD, role=role[role_code], unit=unit)
        return user

    plan: dict[str, Any] = {"officers": [], "case_workers": [], "specialists": []}
    for i, pk in enumerate(communes):
        commune = Unit.objects.get(pk=pk)
        account(f"bench.load.officer{i}", roles.COMMUNE_OFFICER, commune)
        kids = list(Child.objects.filter(commune=commune, merged_into=None).values_list("pk", "full_name")[:5000])
        picked = rng.sample(kids, min(SAMPLE, len(kids)))
        households = list(Household.objects.filter(commune=commune).values_list("pk", flat=True)[:5000])
        plan["officers"].append({
            "username": f"bench.load.officer{i}", "commune": commune.pk,
            "children": [pk for pk, _ in picked], "households": rng.sample(households, min(SAMPLE, len(households))),
            "names": sorted({name for _, name in picked}),
        })  # fmt: skip
    for i, pk in enumerate(communes[:CASE_WORKERS]):
        user = account(f"bench.load.worker{i}", roles.CASE_WORKER, Unit.objects.get(pk=pk))
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        plan["case_workers"].append({
            "username": user.username, "otp_key": device.key, "cases": [],
            "names": plan["officers"][i]["names"],
        })  # fmt: skip
    for i in range(SPECIALISTS):
        province = provinces[i % len(provinces)]
        account(f"bench.load.province{i}", roles.PROVINCE_SPECIALIST, province)
        plan["specialists"].append({"username": f"bench.load.province{i}", "province": province.pk})
    return plan


def seed_cases(rng: random.Random) -> None:
    """Cases for the case workers (assigned to them, about children of their commune) and the provinces' others."""
    from django.db import transaction
    from django.utils import timezone

    from treem.accounts.models import User
    from treem.cases.models import Case, CaseEvent, Category, Channel, EventKind, Setting, Status
    from treem.registry.models import Child
    from treem.units.models import Level, Structure, Unit

    if Case.objects.filter(code__startswith="LB-").exists():
        return
    rs = registry_search()
    now = timezone.now()
    creator = User.objects.get(username="bench.load.officer0")
    communes = list(
        Unit.objects.filter(structure=Structure.CURRENT, level=Level.COMMUNE, parent__code__in=rs.PROVINCES)
    )
    workers = list(User.objects.filter(username__startswith="bench.load.worker").select_related("unit"))
    plan = [(w.unit, w) for w in workers for _ in range(CASES_PER_WORKER)]
    plan += [(rng.choice(communes), None) for _ in range(OTHER_CASES)]
    with transaction.atomic():
        cases, assigned = [], []
        children: dict[int, list[tuple[int, str, str]]] = {}
        for i, (commune, worker) in enumerate(plan):
            if worker is not None and commune.pk not in children:
                children[commune.pk] = list(
                    Child.objects.filter(commune=commune).values_list("pk", "full_name", "sex")[:2000]
                )
            child = rng.choice(children[commune.pk]) if worker is not None else None
            intake = now - dt.timedelta(days=rng.randrange(1, 900))
            cat = rng.choice((Category.ABUSED, Category.AT_RISK, Category.SPECIAL))
            case = Case(
                code=f"LB-{i:06d}", commune=commune, unit_path=commune.path,
                child_id=child[0] if child else None, child_name=child[1] if child else "",
                child_sex=child[2] if child else rng.choice("MF"), child_age_estimate=rng.randrange(0, 17),
                intake_at=intake, channel=rng.choice((Channel.HOTLINE_111, Channel.COMMUNE, Channel.POLICE)),
                category=cat, abuse_forms=[rng.choice(("violence", "neglect"))] if cat == Category.ABUSED else [],
                setting=rng.choice(Setting.values), description="Tình huống giả lập cho bài đo tải.",
                status=rng.choice((Status.INTAKE, Status.VERIFICATION, Status.INITIAL_ASSESSMENT)),
                status_changed_at=intake, created_by=creator,
            )  # fmt: skip
            cases.append(case)
            if worker is not None:
                assigned.append((case, worker))
        Case.objects.bulk_create(cases, batch_size=2000)
        Case.workers.through.objects.bulk_create(
            [Case.workers.through(case_id=case.pk, user_id=worker.pk) for case, worker in assigned]
        )
        CaseEvent.objects.bulk_create(
            [CaseEvent(case=c, kind=EventKind.SERVICE, at=c.intake_at + dt.timedelta(hours=2), by=creator)
             for c in cases if rng.random() < 0.7],
            batch_size=5000,
        )  # fmt: skip
    print(f"  {len(cases):,} cases ({len(assigned)} assigned to the {len(workers)} case workers)", flush=True)


def indicator_values() -> list[dict[str, Any]]:
    """Stored values of every computed indicator for the last half-year and year, for the three provinces."""
    from treem.core.dates import today_vn
    from treem.core.periods import Period, PeriodKind
    from treem.indicators.models import DataValue
    from treem.indicators.services import compute, computed_indicators
    from treem.units.models import Level, Structure, Unit

    rs = registry_search()
    provinces = list(Unit.objects.filter(structure=Structure.CURRENT, level=Level.PROVINCE, code__in=rs.PROVINCES))
    today = today_vn()
    periods = [Period.containing(today, kind).previous() for kind in (PeriodKind.HALF, PeriodKind.YEAR)]
    for period in periods:
        if not DataValue.objects.filter(period=str(period), unit__in=provinces).exists():
            t0 = time.perf_counter()
            compute(period, provinces)
            print(f"  indicators of {period} computed in {time.perf_counter() - t0:.1f} s", flush=True)
    tables = []
    for ind in computed_indicators():
        half = ind.periodicity != "year"
        tables.append({"indicator": ind.code, "period": str(periods[0] if half else periods[1])})
    return tables


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.execute("ANALYZE")
        else:
            cursor.execute("VACUUM ANALYZE")
    connection.close()  # no connection shared with the server's processes


# --- the run --------------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env: dict[str, str], port: int, workers: int, log: Path) -> subprocess.Popen[bytes]:
    treem = Path(sys.executable).with_name("treem")
    cmd = [str(treem), "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    with log.open("wb") as out:
        server = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 300  # collectstatic on the first start
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"treem serve stopped (exit {server.returncode}); see {log}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
    stop_server(server)
    sys.exit(f"treem serve did not answer /healthz in 5 minutes; see {log}")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def run_locust(port: int, plan_file: Path, args: argparse.Namespace, out: Path) -> tuple[dict[str, Any], float]:
    """Locust, headless, for the given minutes (its own output goes to a log): the samples and the seconds they span."""
    locust = Path(sys.executable).with_name("locust")
    if not locust.exists():
        sys.exit("locust is not installed: .venv/bin/pip install -e '.[bench]'")
    samples = out / "samples.json"
    cmd = [
        str(locust), "-f", str(ROOT / "bench" / "load_users.py"), "--headless", "--only-summary",
        "--host", f"http://127.0.0.1:{port}", "--users", str(OFFICERS + CASE_WORKERS + SPECIALISTS),
        "--spawn-rate", "5", "--run-time", f"{args.minutes * 60:.0f}s", "--stop-timeout", "10",
        "--loglevel", "WARNING", "--exit-code-on-error", "0",
    ]  # fmt: skip
    env = {**os.environ, "TREEM_LOAD_PLAN": str(plan_file), "TREEM_LOAD_THINK": args.think}
    env["TREEM_LOAD_SAMPLES"] = str(samples)
    with (out / "locust.log").open("wb") as log:
        subprocess.run(cmd, env=env, check=True, stdout=log, stderr=subprocess.STDOUT)
    return json.loads(samples.read_text(encoding="utf-8")), args.minutes * 60


def percentile(ordered: list[float], q: float) -> float:
    """The nearest-rank percentile of sorted values."""
    return ordered[max(0, min(len(ordered) - 1, int(-(-q * len(ordered) // 1)) - 1))]


def report(result: dict[str, Any], seconds: float, args: argparse.Namespace, db: str, loads: list[float]) -> bool:
    by_action: dict[str, list[tuple[float, int]]] = {}
    for name, ms, failed in result["samples"]:
        by_action.setdefault(name, []).append((ms, failed))
    work = [s for name, samples in by_action.items() if not name.startswith("sign in") for s in samples]
    print()
    print(f"Load on {db}: {args.children:,} children, {OFFICERS + CASE_WORKERS + SPECIALISTS} people for "
          f"{args.minutes:g} min, think time {args.think} s, {args.workers} web processes; "
          f"load average {loads[0]:.1f} before, {loads[-1]:.1f} after")  # fmt: skip
    header = f"{'action':<38} {'requests':>9} {'req/s':>6} {'p50':>6} {'p95':>6} {'p99':>6} {'max':>6} {'errors':>6}"
    print(header)
    print("-" * len(header))
    rows = sorted(by_action.items()) + [("all but signing in", work)]
    met = False
    for name, samples in rows:
        if not samples:
            continue
        times = sorted(ms for ms, _ in samples)
        errors = sum(failed for _, failed in samples)
        p50, p95, p99 = (percentile(times, q) for q in (0.50, 0.95, 0.99))
        print(
            f"{name:<38} {len(times):>9,} {len(times) / seconds:>6.1f} {p50:>6.0f} {p95:>6.0f} {p99:>6.0f} "
            f"{times[-1]:>6.0f} {errors:>6}"
        )
        if name == "all but signing in":
            met = p95 <= TARGET_P95_MS and errors == 0
    signing_in = sum(f for name, samples in by_action.items() if name.startswith("sign in") for _, f in samples)
    print("(milliseconds; signing in is a password hash and, for case workers, a TOTP code: shown apart)")
    print(f"Target p95 ≤ {TARGET_P95_MS:.0f} ms and no error: {'met' if met and not signing_in else 'NOT met'}")
    for error in result["errors"][:10]:
        print(f"  error: {error}")
    return met


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--children", type=int, default=1_000_000, help="children to seed (default 1,000,000)")
    parser.add_argument("--minutes", type=float, default=10.0, help="how long the people work (default 10, max 60)")
    parser.add_argument("--think", default="1-5", help="seconds between a person's actions, MIN-MAX (default 1-5)")
    parser.add_argument("--workers", type=int, default=0, help="web processes (default: treem serve's own)")
    parser.add_argument("--reuse-db", action="store_true", help=f"SQLite: reuse {SQLITE_FILE} if it was seeded")
    parser.add_argument("--keep-server-log", action="store_true", help="print where the server's log is")
    args = parser.parse_args()
    if not 0 < args.minutes <= 60:
        parser.error("--minutes must be more than 0 and at most 60")
    low, _, high = args.think.partition("-")
    try:
        if float(low) < 0 or float(high or low) < float(low):
            raise ValueError
    except ValueError:
        parser.error("--think is MIN-MAX seconds, e.g. 1-5 or 0")
    url = database_url(args.db, reuse=args.reuse_db and SQLITE_FILE.exists())
    out = Path(tempfile.mkdtemp(prefix="treem-load-"))
    env = server_env(url, out)
    setup_django(env)
    from treem.cases.models import Case
    from treem.core.serve import default_workers

    args.workers = args.workers or default_workers()
    rng = random.Random(7)
    seed(args)
    plan = people(rng)
    seed_cases(rng)
    for worker in plan["case_workers"]:  # their cases exist now
        worker["cases"] = list(Case.objects.filter(workers__username=worker["username"]).values_list("pk", flat=True))
    plan["tables"] = indicator_values()
    analyze()
    plan_file = out / "plan.json"
    plan_file.write_text(json.dumps(plan), encoding="utf-8")
    port = free_port()
    server_log = out / "server.log"
    print(f"Starting treem serve on 127.0.0.1:{port} ({args.workers} web processes)", flush=True)
    server = start_server(env, port, args.workers, server_log)
    loads = [os.getloadavg()[0]]
    try:
        result, seconds = run_locust(port, plan_file, args, out)
    finally:
        loads.append(os.getloadavg()[0])
        stop_server(server)
    report(result, seconds, args, f"{args.db} ({url.split('@')[-1]})", loads)
    if args.keep_server_log:
        print(f"Server log: {server_log}")


if __name__ == "__main__":
    main()
