"""A national-size run: 5,000,000 children over eight provinces, the officer's and the province specialist's pages,
and a 1,000-row import with its matching run into that registry.

    scripts/with-postgres .venv/bin/python bench/national.py                      # PostgreSQL, about 45 minutes
    scripts/with-postgres .venv/bin/python bench/national.py --children 500000    # a smaller trial
    .venv/bin/python bench/national.py --db sqlite --children 200000              # SQLite, /tmp/treem-bench.sqlite3

The registry is seeded and the pages measured exactly as `bench/registry_search.py` does (its seeding, its cases,
its plain SELECT beside each request); the provinces are larger (≈ 625,000 children each at 5,000,000, about the
size of a province after the 2025 reform: 24 million children in 34 provinces). Then the messy CSV of
`bench/import.py` (its generator: Xã Khun Há of Lai Châu, TCVN3 names, six date shapes, ~2 % duplicate rows) is
imported into Xã Khun Há: the dry run, the commit, and the matching the commit sets off, each timed on its own.
Its own database, never yours: PostgreSQL through `scripts/with-postgres` (a throwaway server), or the SQLite file
of `bench/registry_search.py`, deleted before and after.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
rs = importlib.import_module("registry_search")
messy = importlib.import_module("import")  # bench/import.py: the messy file generator

# Hưng Yên (the specialist's), Đồng Nai, Quảng Ngãi, Hà Nội, Hồ Chí Minh City, Lai Châu (the import), Hải Phòng,
# Đà Nẵng: 872 communes of the 3,321.
PROVINCES = ("33", "75", "51", "01", "79", "12", "31", "48")


def import_run(rows: int) -> dict[str, float]:
    """The messy CSV of `rows` rows into Xã Khun Há: dry run, commit, then what the commit sets off (the matching
    run over what it stored), each timed alone."""
    from django.db import connection

    from treem.imports.services import import_commit, import_validate, job_create
    from treem.imports.signals import import_committed
    from treem.registry.models import Child
    from treem.units.models import Level, Structure, Unit
    from treem.units.services import village_add

    commune = Unit.objects.get(structure=Structure.CURRENT, level=Level.COMMUNE, code=messy.COMMUNE)
    have = set(Unit.objects.filter(parent=commune).values_list("name", flat=True))
    for name in messy.VILLAGES:
        if not any(name in h for h in have):
            village_add(commune=commune, name=name, unit_type="Bản")
    before = Child.objects.count()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "khun-ha.csv"
        messy.write_csv(path, rows)
        t0 = time.perf_counter()
        job = import_validate(job_create(actor=None, unit=commune, path=path, original_name=path.name))
        t1 = time.perf_counter()
        receivers, import_committed.receivers = import_committed.receivers, []  # the after-commit work, timed alone
        import_committed.sender_receivers_cache.clear()
        try:
            job = import_commit(job)
        finally:
            import_committed.receivers = receivers
            import_committed.sender_receivers_cache.clear()
        t2 = time.perf_counter()
        import_committed.send(sender=type(job), job=job)  # the test settings run tasks at once: the matching run
        t3 = time.perf_counter()
    stored = Child.objects.count() - before
    print(f"  import of {rows:,} rows ({connection.vendor}): counts {job.counts}, {stored:,} children stored")
    return {"dry run": t1 - t0, "commit": t2 - t1, "matching after the commit": t3 - t2, "stored": stored}


def print_sizes() -> None:
    """The database's size and its largest tables with their indexes (PostgreSQL), for the capacity arithmetic."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        print(f"   database size: {cursor.fetchone()[0]}")
        cursor.execute(
            "SELECT relname, reltuples::bigint, pg_size_pretty(pg_table_size(oid)),"
            " pg_size_pretty(pg_indexes_size(oid)) FROM pg_class WHERE relkind = 'r'"
            " ORDER BY pg_total_relation_size(oid) DESC LIMIT 8"
        )
        rs.table(["table", "rows (estimate)", "table", "indexes"], [[str(v) for v in row] for row in cursor.fetchall()])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--children", type=int, default=5_000_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per case (default 20)")
    parser.add_argument("--import-rows", type=int, default=1000)
    parser.add_argument("--provinces", type=lambda v: tuple(v.split(",")), default=PROVINCES)
    args = parser.parse_args()
    rs.setup_django(args.db, reuse=False)
    leg_args = argparse.Namespace(
        children=args.children, repeat=args.repeat, db=args.db, no_alternatives=True, reuse_db=False,
        keep_db=False, pg_databases=1, provinces=args.provinces,
    )  # fmt: skip
    leg = rs.run_leg(leg_args)
    imported = import_run(args.import_rows)
    rs.print_leg(leg)
    print()
    print(f"Import of {args.import_rows:,} messy rows into Xã Khun Há, {leg.children:,} children in the registry:")
    rs.table(
        ["phase", "seconds", "rows/s"],
        [
            [phase, f"{seconds:.2f}", f"{args.import_rows / seconds:,.0f}"]
            for phase, seconds in imported.items()
            if phase != "stored"
        ],
    )
    print(f"   1-minute load average at the end: {os.getloadavg()[0]:.1f}")
    print_sizes()
    if args.db == "sqlite":
        from django.db import connection

        connection.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{rs.SQLITE_FILE}{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
