"""Matching after an import: the run over the imported children against the whole registry, at two registry sizes.

Seeds a registry of N children (default 1,000,000) and one of `--small` children (default 100,000) on SQLite, each
in a file of its own under /tmp (the seeding of `bench/registry_search.py`), then in each: imports `--new` children
(default 1,000) into one commune of average size through the import itself (an xlsx, the dry run, the commit),
about 3 % of them second entries of children registered in OTHER communes (the same name and day; no diacritics;
born a day apart; the ID re-typed with one digit wrong; the father and ethnicity as the first record has them: the
bench records those fathers, the seeding has no guardians), and times

- the run an import now queues: the imported children against their candidates from the whole registry
  (`matching.nearby`: indexed lookups by the blocking keys), and
- the run it queued before: every child of the commune, old and new, against each other (blind to the other
  communes), and with `--registry-run` a run over the whole registry (what finding those took before),

printing both registries side by side (the ratio of the after-import run should be about 1). Everything the import
and the runs write is rolled back, so `--reuse-db` finds the registry as seeded.

    .venv/bin/python bench/match_after_import.py --children 100000 --small 10000   # about 2 minutes
    .venv/bin/python bench/match_after_import.py --keep-db                          # 1,000,000 and 100,000 children
    .venv/bin/python bench/match_after_import.py --reuse-db --keep-db               # again on the seeded files
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import registry_search as rs  # noqa: E402  (the seeding, names and Django setup of the registry bench)

FILES = "/tmp/treem-match-after-import-{n}.sqlite3"  # never the registry bench's own /tmp/treem-bench.sqlite3
HEADER = ["Họ và tên", "Ngày sinh", "Giới tính", "Số định danh", "Họ tên cha", "Họ tên mẹ", "Thôn", "Dân tộc"]
KINDS = ("same name and day", "no diacritics", "born a day apart", "ID one digit wrong")


@dataclass
class Run:
    seconds: float
    records: int  # children prepared
    candidates: int  # pairs scored
    pairs: int  # pairs at or above the review threshold
    queries: int
    planted_found: int  # planted second entries among the pairs


@dataclass
class Leg:
    children: int
    commune: str
    commune_children: int
    imported: int
    planted: int
    import_seconds: float
    after_import: Run
    whole_commune: Run
    whole_registry: Run | None = None
    load: list[float] = field(default_factory=list)
    seed_seconds: float = 0.0


class Counter:
    def __init__(self) -> None:
        self.n = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.n += 1
        return execute(sql, params, many, context)


def pick_commune() -> Any:
    """A commune of average size in the first province."""
    from treem.units.models import Level, Structure, Unit

    province = Unit.objects.get(structure=Structure.CURRENT, level=Level.PROVINCE, code=rs.PROVINCES[0])
    nearest, sizes = rs.communes_by_size(province)
    return Unit.objects.get(pk=nearest[0]), sizes


def rows_to_import(commune: Any, n: int, rate: float, rng: random.Random) -> tuple[list[list[str]], list[int]]:
    """`n` rows for `commune`; about `rate` of them second entries of children of other communes (their ids)."""
    from treem.core.text import fold
    from treem.registry.models import Child
    from treem.units.models import Level, Unit

    names = rs.Names(rng)
    villages = list(Unit.objects.filter(parent=commune, level=Level.VILLAGE).values_list("name", flat=True))
    top = Child.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    rows: list[list[str]] = []
    planted: list[int] = []
    serial = 0
    span = (rs.DOB_LAST - rs.DOB_FIRST).days
    for i in range(n):
        village = villages[i % len(villages)] if villages else ""
        if rng.random() < rate:
            first = None
            while first is None:
                first = (
                    Child.objects.filter(pk__gte=rng.randrange(1, top + 1))
                    .exclude(commune=commune)
                    .select_related("household")
                    .order_by("pk")
                    .first()
                )
            kind = len(planted) % len(KINDS)
            name, dob, pid = first.full_name, first.date_of_birth, ""
            if kind == 1:
                name = fold(name).title()
            elif kind == 2:  # noqa: PLR2004
                dob = dob + dt.timedelta(days=1)
            elif kind == 3 and first.personal_id:  # noqa: PLR2004
                digit = str((int(first.personal_id[-1]) + 1) % 10)
                pid = first.personal_id[:-1] + digit
                if Child.objects.filter(personal_id=pid).exists():
                    pid = ""
            planted.append(first.pk)
            father = first.household.head_name
            sex = "Nam" if first.sex == "M" else "Nữ"
            rows.append([name, dob.strftime("%d/%m/%Y"), sex, pid, father, names.person("F"), village, first.ethnicity])
            continue
        sex = "M" if rng.random() < 0.51 else "F"
        father = names.person("M")
        dob = rs.DOB_FIRST + dt.timedelta(days=rng.randrange(span))
        pid = ""
        if rng.random() < 0.6:
            century_sex = ("2" if sex == "M" else "3") if dob.year >= 2000 else ("0" if sex == "M" else "1")  # noqa: PLR2004
            pid = f"001{century_sex}{dob.year % 100:02d}{900_000 + serial:06d}"  # Hà Nội: no seeded child has it
            serial += 1
        rows.append([
            names.person(sex, father.split()[0]), dob.strftime("%d/%m/%Y"), "Nam" if sex == "M" else "Nữ", pid,
            father, names.person("F"), village, names.pick(rs.ETHNICITIES),
        ])  # fmt: skip
    return rows, planted


def record_fathers(planted: list[int]) -> None:
    """The seeded registry has no guardians: the children the file enters a second time get their father (the
    household's head) recorded, as a real registry has them, so that the pairs carry that evidence too."""
    from treem.registry.models import Child, Guardianship, Person
    from treem.registry.services import derive_person

    for child in Child.objects.filter(pk__in=planted).select_related("household"):
        father = Person(full_name=child.household.head_name, sex="M", household=child.household)
        derive_person(father)
        father.save()
        Guardianship.objects.create(child=child, person=father, relation="father")


def write_xlsx(path: Path, rows: list[list[str]]) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    for r, values in enumerate([HEADER, *rows]):
        for col, value in enumerate(values):
            sheet.write_string(r, col, value)
    book.close()


def timed_run(commune: Any, child_ids: list[int] | None, planted: set[int], *, unit_path: str | None = None) -> Run:
    """One run, rolled back afterwards (its candidates, merges and record too)."""
    from django.db import connection, transaction

    from treem.matching import runs
    from treem.matching.models import MatchCandidate, MatchRun, RunSource

    counter = Counter()
    with transaction.atomic():
        run = MatchRun.objects.create(unit=commune, unit_path=commune.path if unit_path is None else unit_path,
                                      source=RunSource.IMPORT, child_ids=child_ids)  # fmt: skip
        started = time.perf_counter()
        with connection.execute_wrapper(counter):
            run = runs.execute_run(run)
        seconds = time.perf_counter() - started
        found = set()
        for a, b in MatchCandidate.objects.filter(run=run).values_list("child_a_id", "child_b_id"):
            found |= {a, b} & planted
        from treem.matching.models import Merge

        for a, b in Merge.objects.values_list("survivor_id", "other_id"):
            found |= {a, b} & planted
        result = Run(seconds, run.records, run.candidates, run.pairs_found, counter.n, len(found))
        transaction.set_rollback(True)
    return result


def run_leg(args: argparse.Namespace) -> Leg:
    from django.core.management import call_command
    from django.db import connection, transaction

    from treem.imports.services import import_commit, import_validate, job_create
    from treem.registry.models import Child

    path = Path(FILES.format(n=args.leg))
    seconds = 0.0
    call_command("migrate", verbosity=0)  # a reused file gets the indexes added since it was seeded
    if args.reuse_db and Child.objects.exists():
        print(f"Reusing {path} ({Child.objects.count():,} children)", flush=True)
    else:
        print(f"Seeding {args.leg:,} children into {path}", flush=True)
        t0 = time.perf_counter()
        rs.seed(args.leg)
        seconds = time.perf_counter() - t0
        print(f"  seeded in {seconds:.0f} s", flush=True)
    commune, sizes = pick_commune()
    rng = random.Random(7)
    rows, planted = rows_to_import(commune, args.new, args.duplicates, rng)
    load = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory() as tmp, transaction.atomic():
        book = Path(tmp) / "ds.xlsx"
        write_xlsx(book, rows)
        record_fathers(planted)
        top = Child.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        t0 = time.perf_counter()
        job = import_validate(job_create(actor=None, unit=commune, path=book, original_name="ds.xlsx"))
        import_commit(job)  # the queued run would start once this commits: it never does (rolled back below)
        import_seconds = time.perf_counter() - t0
        ids = list(Child.objects.filter(pk__gt=top).order_by("pk").values_list("pk", flat=True))
        print(f"  imported {len(ids):,} children into {commune.name} in {import_seconds:.1f} s", flush=True)
        after = timed_run(commune, ids, set(planted))
        load.append(os.getloadavg()[0])
        whole = timed_run(commune, None, set(planted))
        load.append(os.getloadavg()[0])
        registry = None
        if args.registry_run:  # what finding the duplicates in other communes took before: a run over everyone
            registry = timed_run(commune, None, set(planted), unit_path="")
            load.append(os.getloadavg()[0])
        transaction.set_rollback(True)
    connection.close()
    return Leg(args.leg, commune.name, sizes[commune.pk], len(ids), len(planted), import_seconds, after, whole,
               registry, load, seconds)  # fmt: skip


def _leg(n: int, args: argparse.Namespace) -> Leg:
    out = Path(tempfile.mkstemp(suffix=".json")[1])
    cmd = [sys.executable, __file__, "--leg", str(n), "--json", str(out), "--new", str(args.new),
           "--duplicates", str(args.duplicates)]  # fmt: skip
    cmd += ["--reuse-db"] if args.reuse_db else []
    cmd += ["--keep-db"] if args.keep_db else []
    cmd += ["--registry-run"] if args.registry_run else []
    subprocess.run(cmd, check=True)
    data = json.loads(out.read_text(encoding="utf-8"))
    out.unlink()
    for name in ("after_import", "whole_commune", "whole_registry"):
        data[name] = Run(**data[name]) if data[name] else None
    return Leg(**data)


def print_table(small: Leg, big: Leg) -> None:
    def row(label: str, a: Any, b: Any, ratio: bool = False) -> None:
        f = (lambda x: f"{x:,.2f}") if isinstance(a, float) else (lambda x: f"{x:,}")
        r = f"{b / a:.2f}" if ratio and a else ""
        print(f"| {label} | {f(a)} | {f(b)} | {r} |")

    print(f"\n| {big.imported:,} children imported, {big.planted} of them second entries | "
          f"{small.children:,} children | {big.children:,} children | ratio |")  # fmt: skip
    print("|---|---:|---:|---:|")
    row("commune of the import: children before", small.commune_children, big.commune_children, True)
    row("import (dry run + commit), s", small.import_seconds, big.import_seconds, True)
    for label, attr in (("after-import run (new)", "after_import"), ("whole-commune run (before)", "whole_commune"),
                        ("whole-registry run (manual)", "whole_registry")):  # fmt: skip
        a, b = getattr(small, attr), getattr(big, attr)
        if a is None or b is None:
            continue
        row(f"**{label}**, s", a.seconds, b.seconds, True)
        row(f"{label}: children prepared", a.records, b.records, True)
        row(f"{label}: pairs scored", a.candidates, b.candidates, True)
        row(f"{label}: pairs ≥ review", a.pairs, b.pairs)
        row(f"{label}: planted second entries found", a.planted_found, b.planted_found)
        row(f"{label}: queries", a.queries, b.queries, True)
    print(f"| load average (1 min) during the legs | {' / '.join(f'{x:.1f}' for x in small.load)} | "
          f"{' / '.join(f'{x:.1f}' for x in big.load)} | |")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--children", type=int, default=1_000_000, help="the large registry (default 1,000,000)")
    parser.add_argument("--small", type=int, default=100_000, help="the registry to compare with (default 100,000)")
    parser.add_argument("--new", type=int, default=1_000, help="children imported (default 1,000)")
    parser.add_argument("--duplicates", type=float, default=0.03, help="share of second entries (default 0.03)")
    parser.add_argument("--reuse-db", action="store_true", help=f"reuse {FILES} if seeded")
    parser.add_argument("--keep-db", action="store_true", help=f"keep {FILES} afterwards")
    parser.add_argument("--registry-run", action="store_true", help="also time a run over the whole registry")
    parser.add_argument("--leg", type=int, help=argparse.SUPPRESS)  # one registry size, in a process of its own
    parser.add_argument("--json", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.leg is None:
        small, big = _leg(args.small, args), _leg(args.children, args)
        print_table(small, big)
        return
    path = Path(FILES.format(n=args.leg))
    rs.SQLITE_FILE = path
    rs.setup_django("sqlite", reuse=args.reuse_db)
    leg = run_leg(args)
    args.json.write_text(json.dumps(asdict(leg)), encoding="utf-8")
    if not args.keep_db:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
