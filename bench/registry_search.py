"""Registry search benchmark: a scoped name search and a filtered list page over a large registry.

Seeds N children (default 1,000,000) into a database of its own, then times `/registry/children/` through the
whole Django stack (middleware, session, scope, paginator COUNT, page query, template) for a commune officer and a
province specialist, side by side with a plain indexed SELECT of the same rows (the first page of 50 plus the
COUNT, same WHERE, raw SQL on `connection.cursor()`). Prints median and p95 per case; the target is p95 ≤ 200 ms.

    .venv/bin/python bench/registry_search.py --children 100000              # SQLite, /tmp/treem-bench.sqlite3
    scripts/with-postgres .venv/bin/python bench/registry_search.py --db postgres
    .venv/bin/python bench/registry_search.py --db both                      # both legs, tables side by side

It never touches the developer's database: SQLite uses a fresh file under /tmp, PostgreSQL the TREEM_DATABASE_URL
of the environment (scripts/with-postgres starts a throwaway server) and refuses a database that holds children.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SQLITE_FILE = Path("/tmp/treem-bench.sqlite3")
TARGET_P95_MS = 200.0
WARMUPS = 3
PAGE_SIZE = 50  # registry.views.PAGE_SIZE
COUNT_CAP = 1000

# Current provinces (2025 structure) whose communes carry the children: Hưng Yên 104, Đồng Nai 95, Quảng Ngãi 96
# communes. The province specialist works for the first one.
PROVINCES = ("33", "75", "51")
VILLAGES_PER_COMMUNE = 5
SEARCH_TEXT = "nguyen thi lan"  # typed without diacritics, as people do
BATCH_CHILDREN = 20_000
DOB_FIRST = dt.date(2009, 1, 1)
DOB_LAST = dt.date(2026, 6, 30)

OFFICER_SEARCH = f'officer search "{SEARCH_TEXT}"'
PROVINCE_SEARCH = f'province search "{SEARCH_TEXT}"'
OFFICER_LIST = "officer list F 6-10, own commune"
PROVINCE_LIST_COMMUNE = "province list F 6-10, one commune"
PROVINCE_LIST = "province list F 6-10, whole province"
HTMX = ", HTMX results"  # the request the search box sends while typing: only the results partial


# --- names: small weighted lists (Kinh style), enough for realistic search selectivity --------------------------


def _pool(spec: str) -> tuple[list[str], list[float]]:
    """``"Nguyễn 38, Trần 11"`` -> names and cumulative weights (for ``random.choices``)."""
    names, cum, total = [], [], 0.0
    for item in spec.split(","):
        name, _, weight = item.strip().rpartition(" ")
        total += float(weight)
        names.append(name)
        cum.append(total)
    return names, cum


SURNAMES = _pool(
    "Nguyễn 38, Trần 11, Lê 9.5, Phạm 7, Hoàng 5, Phan 4.5, Vũ 4, Đặng 2, Bùi 2, Đỗ 1.4, Hồ 1.3, Ngô 1.3, Dương 1,"
    "Lý 0.5, Đinh 0.6, Trịnh 0.5, Đào 0.5, Mai 0.4, Lương 0.4, Cao 0.4, Hà 0.4, Đoàn 0.4, Trương 0.4, Lưu 0.3"
)
MIDDLE = {
    "M": _pool("Văn 40, Minh 10, Đức 9, Gia 6, Quang 6, Bảo 5, Hữu 5, Anh 4, Tuấn 3, Hải 3, Duy 3, Quốc 3, Thành 3"),
    "F": _pool("Thị 45, Ngọc 9, Minh 6, Thu 6, Khánh 5, Bảo 4, Phương 5, Thanh 5, Hà 3, Thùy 3, Mai 3, Kim 3"),
}
GIVEN = {
    "M": _pool(
        "Hùng 4, Dũng 4, Tuấn 4, Nam 4, Long 4, Huy 4, Khôi 3, Minh 4, An 4, Phúc 3, Bảo 3, Đức 3, Hải 3, Sơn 3,"
        "Thắng 2, Cường 2, Trung 2, Hiếu 2, Thành 2, Tiến 2, Hưng 2, Bình 2, Quân 3, Khang 3, Lâm 2, Vinh 2, Việt 2"
    ),
    "F": _pool(
        "Lan 3, Hương 3, Linh 4, Trang 4, Hà 3, Anh 4, Ngọc 3, Mai 3, Hoa 3, Thảo 3, Hạnh 2, Huyền 3, Nhung 2,"
        "Phương 2, Yến 2, Vy 3, Châu 2, My 3, Nhi 3, Ngân 2, Quỳnh 2, Thủy 2, Hằng 2, Loan 1, Lành 1, Oanh 1"
    ),
}
ETHNICITIES = _pool("Kinh 92, Tày 2, Thái 1.5, Mường 1.5, Hoa 1, Khmer 1, Nùng 1")
CHILDREN_PER_HOUSEHOLD = _pool("1 20, 2 35, 3 25, 4 12, 5 8")  # mean ≈ 2.5 children per household
VILLAGE_NAMES = ("Đông", "Tây", "Nam", "Bắc", "Trung", "Thượng", "Hạ")


# --- statistics and the result records the two legs exchange ------------------------------------------------------


@dataclass
class Stats:
    median: float
    p95: float

    @classmethod
    def of(cls, seconds: list[float]) -> Stats:
        ms = [s * 1000 for s in seconds]
        return cls(statistics.median(ms), statistics.quantiles(ms, n=20)[18])


@dataclass
class CaseResult:
    name: str
    url: str
    rows: int
    request: Stats
    plain: Stats
    sql_total: Stats
    sql_count: Stats
    sql_page: Stats
    queries: int

    @property
    def ratio(self) -> float:
        return self.request.median / self.plain.median if self.plain.median else float("inf")

    @property
    def met(self) -> bool:
        return self.request.p95 <= TARGET_P95_MS


@dataclass
class AltResult:
    name: str
    baseline: str  # the case it replaces
    stats: Stats
    rows: int
    note: str = ""

    @property
    def is_request(self) -> bool:
        """A full request through Django (compared with the case's request), not a plain SELECT."""
        return self.name.startswith("full request")


@dataclass
class LegResult:
    vendor: str
    version: str
    children: int
    repeat: int
    seed_seconds: float
    seed_rows: int
    cases: list[CaseResult] = field(default_factory=list)
    alternatives: list[AltResult] = field(default_factory=list)
    explain: list[str] = field(default_factory=list)
    load: list[float] = field(default_factory=list)  # 1-minute load average before and after the timings
    # PostgreSQL: the cases again on fresh copies of the database, each with its own ANALYZE sample
    fresh: list[list[CaseResult]] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LegResult:
        cases = [_case_from_json(c) for c in data.pop("cases")]
        alts = [AltResult(**{**a, "stats": Stats(**a["stats"])}) for a in data.pop("alternatives")]
        fresh = [[_case_from_json(c) for c in run] for run in data.pop("fresh", [])]
        return cls(**data, cases=cases, alternatives=alts, fresh=fresh)


def _case_from_json(c: dict[str, Any]) -> CaseResult:
    return CaseResult(**{**c, **{k: Stats(**c[k]) for k in ("request", "plain", "sql_total", "sql_count", "sql_page")}})


# --- Django setup: the benchmark's own database, test settings, DEBUG off ------------------------------------------


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
    # Persistent connections, as a deployment runs: with 0, every request would also pay a new connection.
    os.environ.setdefault("TREEM_DB_CONN_MAX_AGE", "600")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    if settings.DEBUG:
        sys.exit("The benchmark must run with DEBUG off (TREEM_DEBUG=false).")
    connection.force_debug_cursor = False  # no query logging


# --- seeding --------------------------------------------------------------------------------------------------------


@dataclass
class Place:
    commune: Any  # Unit
    villages: list[Any]
    province_code: str
    children: int


class Names:
    """Draws names from the weighted lists and folds them word by word (fold is costly; the words are few)."""

    def __init__(self, rng: random.Random) -> None:
        from treem.core.text import fold

        self.rng = rng
        self._fold = fold
        self._folded: dict[str, str] = {}

    def fold_words(self, *names: str) -> list[str]:
        out = []
        for name in names:
            for word in name.split():
                folded = self._folded.get(word)
                if folded is None:
                    folded = self._folded[word] = self._fold(word)
                out.append(folded)
        return out

    def pick(self, pool: tuple[list[str], list[float]]) -> str:
        return self.rng.choices(pool[0], cum_weights=pool[1])[0]

    def person(self, sex: str, surname: str | None = None) -> str:
        return f"{surname or self.pick(SURNAMES)} {self.pick(MIDDLE[sex])} {self.pick(GIVEN[sex])}"


def build_places(rng: random.Random, n_children: int, provinces: tuple[str, ...]) -> list[Place]:
    from treem.units.models import Level, Structure, Unit
    from treem.units.services import village_add

    communes = list(
        Unit.objects.filter(
            structure=Structure.CURRENT, level=Level.COMMUNE, parent__code__in=provinces, parent__level=Level.PROVINCE
        )
        .select_related("parent")
        .order_by("path")
    )
    weights = [rng.uniform(0.5, 1.5) for _ in communes]
    total = sum(weights)
    places = []
    for commune, weight in zip(communes, weights, strict=True):
        villages = [village_add(commune=commune, name=name) for name in VILLAGE_NAMES[:VILLAGES_PER_COMMUNE]]
        places.append(Place(commune, villages, commune.parent.code, int(n_children * weight / total)))
    places[0].children += n_children - sum(p.children for p in places)
    return places


def seed(n_children: int, provinces: tuple[str, ...] = PROVINCES) -> tuple[int, int]:
    """Units, roles, villages, households, children, circumstances. Returns (children, all rows written)."""
    from django.db import connection, transaction

    from treem.accounts.roles import roles_sync
    from treem.registry.models import (
        Child,
        ChildStatus,
        Circumstance,
        CircumstanceKind,
        CircumstanceType,
        Household,
        SchoolStatus,
    )
    from treem.units.services import units_load

    rng = random.Random(42)
    names = Names(rng)
    t0 = time.perf_counter()
    units_load()
    roles_sync()
    print(f"  official units loaded in {time.perf_counter() - t0:.1f} s")
    special = list(CircumstanceType.objects.filter(kind=CircumstanceKind.SPECIAL, is_active=True))
    span = (DOB_LAST - DOB_FIRST).days
    today = DOB_LAST
    rows = 0
    serials = dict.fromkeys(provinces, 0)  # the personal IDs' serial numbers, per province (6 digits each)

    stages = [(3, SchoolStatus.NOT_OF_AGE), (6, SchoolStatus.PRESCHOOL), (11, SchoolStatus.PRIMARY)]
    stages.append((15, SchoolStatus.LOWER_SECONDARY))

    def school(age: int) -> str:
        for limit, status in stages:
            if age < limit:
                return status
        return SchoolStatus.UPPER_SECONDARY

    def households_of(place: Place) -> Iterator[tuple[Household, list[Child]]]:
        left, number = place.children, 0
        while left > 0:
            number += 1
            village = rng.choice(place.villages)
            father, mother = names.person("M"), names.person("F")
            surname = father.split()[0]
            ethnicity = names.pick(ETHNICITIES)
            household = Household(
                code=f"{place.commune.code}-{number:05d}", commune=place.commune, village=village,
                unit_path=village.path, head_name=father, address=village.name,
            )  # fmt: skip
            kids = []
            for _ in range(min(left, int(names.pick(CHILDREN_PER_HOUSEHOLD)))):
                sex = "M" if rng.random() < 0.51 else "F"
                full_name = names.person(sex, surname)
                dob = DOB_FIRST + dt.timedelta(days=rng.randrange(span))
                age = today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))
                personal_id = None
                serial = serials[place.province_code]
                if rng.random() < 0.6 and serial < 1_000_000:
                    century_sex = ("2" if sex == "M" else "3") if dob.year >= 2000 else ("0" if sex == "M" else "1")
                    personal_id = f"0{place.province_code}{century_sex}{dob.year % 100:02d}{serial:06d}"
                    serials[place.province_code] = serial + 1
                words = list(dict.fromkeys(names.fold_words(full_name, father, mother)))
                if personal_id:
                    words.append(personal_id)
                roll = rng.random()
                kids.append(
                    Child(
                        full_name=full_name,
                        name_key=" ".join(names.fold_words(full_name)),
                        date_of_birth=dob,
                        sex=sex,
                        ethnicity=ethnicity,
                        personal_id=personal_id,
                        commune=place.commune,
                        village=village,
                        unit_path=village.path,
                        search_text=(" " + " ".join(words))[:600],
                        birth_registered=rng.random() < 0.97,
                        school_status=school(age),
                        status=ChildStatus.MOVED_AWAY if roll < 0.02 else ChildStatus.ACTIVE,
                    )
                )
            left -= len(kids)
            yield household, kids

    def flush(batch: list[tuple[Household, list[Child]]]) -> int:
        Household.objects.bulk_create([h for h, _ in batch], batch_size=5000)
        kids = []
        for household, children in batch:
            for child in children:
                child.household = household
                kids.append(child)
        Child.objects.bulk_create(kids, batch_size=BATCH_CHILDREN)
        circumstances = []
        for child in kids:
            if rng.random() < 0.06:
                start = child.date_of_birth + dt.timedelta(
                    days=rng.randrange(max(1, (today - child.date_of_birth).days))
                )
                end = start + dt.timedelta(days=rng.randrange(30, 900)) if rng.random() < 0.15 else None
                circumstances.append(
                    Circumstance(
                        child=child,
                        type=rng.choice(special),
                        valid_from=start,
                        valid_to=end if end and end <= today else None,
                        source="bench",
                    )
                )
        Circumstance.objects.bulk_create(circumstances, batch_size=5000)
        return len(batch) + len(kids) + len(circumstances)

    sqlite = connection.vendor == "sqlite"
    if sqlite:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-262144")  # 256 MB while the indexes grow
    done = 0
    with transaction.atomic():
        places = build_places(rng, n_children, provinces)
        print(
            f"  {len(places)} communes in provinces {', '.join(provinces)}, "
            f"{len(places) * VILLAGES_PER_COMMUNE} villages"
        )
        batch: list[tuple[Household, list[Child]]] = []
        in_batch = 0
        for place in places:
            for household, kids in households_of(place):
                batch.append((household, kids))
                in_batch += len(kids)
                if in_batch >= BATCH_CHILDREN:
                    rows += flush(batch)
                    done += in_batch
                    batch, in_batch = [], 0
                    if done % 100_000 < BATCH_CHILDREN:
                        print(f"  … {done:,} children ({time.perf_counter() - t0:.0f} s)", flush=True)
        if batch:
            rows += flush(batch)
            done += in_batch
    with connection.cursor() as cursor:
        if sqlite:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("ANALYZE")
        else:
            cursor.execute("VACUUM ANALYZE")
    connection.close()  # requests start from a connection with the settings' own PRAGMAs
    return done, rows


def communes_by_size(province: Any) -> tuple[list[int], dict[int, int]]:
    """The ids of the province's communes that hold children, those nearest the average size first, and the
    children of each commune."""
    from django.db.models import Count

    from treem.registry.models import Child

    sizes = dict(
        Child.objects.filter(unit_path__path_prefix=province.path)
        .values("commune_id")
        .annotate(n=Count("id"))
        .values_list("commune_id", "n")
    )
    mean = sum(sizes.values()) / len(sizes)
    return sorted(sizes, key=lambda pk: (abs(sizes[pk] - mean), pk)), sizes


def bench_users(provinces: tuple[str, ...] = PROVINCES) -> tuple[Any, Any]:
    """The commune officer (a commune of average size in the first province) and that province's specialist."""

    from treem.accounts import roles
    from treem.accounts.models import Role, User
    from treem.units.models import Level, Structure, Unit

    existing = {u.username: u for u in User.objects.filter(username__startswith="bench.").select_related("unit")}
    if len(existing) == 2:
        return existing["bench.officer"], existing["bench.province"]
    province = Unit.objects.get(structure=Structure.CURRENT, level=Level.PROVINCE, code=provinces[0])
    commune = Unit.objects.get(pk=communes_by_size(province)[0][0])
    officer = User.objects.create(
        username="bench.officer", unit=commune, role=Role.objects.get(code=roles.COMMUNE_OFFICER)
    )
    specialist = User.objects.create(
        username="bench.province", unit=province, role=Role.objects.get(code=roles.PROVINCE_SPECIALIST)
    )
    return officer, specialist


# --- measuring ------------------------------------------------------------------------------------------------------


class QueryClock:
    """An execute wrapper that times every query of a request (DEBUG stays off)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any, float]] = []

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.calls.append((sql, params, time.perf_counter() - t0))

    @staticmethod
    def is_count(sql: str) -> bool:
        return sql.startswith("SELECT COUNT(*)") and '"registry_child"' in sql

    @staticmethod
    def is_page(sql: str) -> bool:
        return 'FROM "registry_child"' in sql and "LIMIT" in sql and not sql.startswith("SELECT COUNT(*)")


@dataclass
class Plain:
    """A hand-written plain SELECT: the first page and the COUNT with the same WHERE as the ORM."""

    where: str
    params: list[Any]
    select: str = "id, full_name, date_of_birth, sex, ethnicity, personal_id, village_id, commune_id"
    count_cap: int | None = None
    page_hint: str = ""  # e.g. SQLite's INDEXED BY, for the page query only

    def run(self, cursor: Any) -> tuple[int, list[int]]:
        cursor.execute(
            f"SELECT {self.select} FROM registry_child {self.page_hint} WHERE {self.where} "
            f"ORDER BY name_key, date_of_birth, id LIMIT {PAGE_SIZE}",
            self.params,
        )
        ids = [row[0] for row in cursor.fetchall()]
        if self.count_cap:
            cursor.execute(
                f"SELECT COUNT(*) FROM (SELECT 1 FROM registry_child WHERE {self.where} LIMIT {self.count_cap + 1}) t",
                self.params,
            )
        else:
            cursor.execute(f"SELECT COUNT(*) FROM registry_child WHERE {self.where}", self.params)
        return cursor.fetchone()[0], ids


@dataclass(frozen=True)
class Where:
    """What a case filters on; `plain()` writes the WHERE the ORM builds for it by hand."""

    paths: tuple[str, ...]  # the scope path, then the unit filter's path if any
    words: tuple[str, ...] = ()
    dob: tuple[dt.date, dt.date] | None = None
    sex: str = ""
    commune_id: int | None = None  # the commune as an equality instead of the path ranges
    province: str = ""  # the province as an equality on the province of the path (`units.models.province_path`)
    unmerged: bool = False  # registry.selectors.children_for_user leaves out records merged into another

    def plain(self, vendor: str, *, fts: bool = False, count_cap: int | None = None, page_hint: str = "") -> Plain:
        where, params = plain_where(vendor, self, fts=fts)
        return Plain(where, params, count_cap=count_cap, page_hint=page_hint)


def plain_where(vendor: str, w: Where, *, fts: bool = False) -> tuple[str, list[Any]]:
    """The WHERE the ORM builds (scope path, unit path, status, search words, age, sex), written out by hand.

    With `fts`, the words go to the SQLite FTS5 table `child_fts` as prefix terms instead of LIKE.
    """
    conds: list[str] = ["merged_into_id IS NULL"] if w.unmerged else []
    params: list[Any] = []
    if w.province:  # the expression of the index child_province_name, as `units.models.ProvincePath` writes it
        conds.append(
            "SUBSTR(unit_path, 1, INSTR(SUBSTR(unit_path, 3), '.') + 2) = %s"
            if vendor == "sqlite"
            else "SUBSTRING(unit_path, 1, STRPOS(SUBSTRING(unit_path, 3), '.') + 2) = %s"
        )
        params.append(w.province)
    for path in () if w.commune_id or w.province else w.paths:  # treem.core.lookups.PathPrefix
        if vendor == "sqlite":
            conds.append("unit_path >= %s AND unit_path < %s")
            params += [path, path[:-1] + chr(ord(path[-1]) + 1)]
        else:
            conds.append("unit_path LIKE %s")
            params.append(path + "%")
    if w.commune_id:
        conds.append("commune_id = %s")
        params.append(w.commune_id)
    conds.append("status = %s")
    params.append("active")
    if fts and w.words:
        conds.append("id IN (SELECT rowid FROM child_fts WHERE child_fts MATCH %s)")
        params.append(" ".join(f'"{word}"*' for word in w.words))
    else:
        for word in w.words:  # registry.selectors.search_filter: every word starts a word of search_text
            conds.append("search_text LIKE %s" + (" ESCAPE '\\'" if vendor == "sqlite" else ""))
            params.append(f"% {word}%")
    if w.dob:  # on SQLite kept off the indexes, as `core.expressions.Unindexed` keeps the list's
        dob = "+date_of_birth" if vendor == "sqlite" else "date_of_birth"
        conds.append(f"{dob} >= %s AND {dob} <= %s")
        params += list(w.dob)
    if w.sex:
        conds.append("sex = %s")
        params.append(w.sex)
    return " AND ".join(conds), params


@dataclass
class Case:
    name: str
    user: Any
    url: str
    where: Where
    plain: Plain
    htmx: bool = False


def measure(case: Case, repeat: int) -> tuple[CaseResult, QueryClock]:
    import re

    from django.db import connection
    from django.test import Client

    client = Client()
    client.force_login(case.user, backend="django.contrib.auth.backends.ModelBackend")
    request_s, plain_s, sql_total, sql_count, sql_page = [], [], [], [], []
    first_clock = QueryClock()
    rows = -1
    for i in range(WARMUPS + repeat):
        clock = QueryClock()
        with connection.execute_wrapper(clock):
            t0 = time.perf_counter()
            response = client.get(case.url, headers={"HX-Request": "true"} if case.htmx else {})
            t1 = time.perf_counter()
        if response.status_code != 200:
            sys.exit(f"{case.name}: {case.url} answered {response.status_code}")
        with connection.cursor() as cursor:
            t2 = time.perf_counter()
            count, _ids = case.plain.run(cursor)
            t3 = time.perf_counter()
        if i == 0:
            first_clock = clock
            shown = re.search(rb'data-testid="result-count">\D*?([\d.,]+)', response.content)
            on_page = int(shown.group(1).replace(b".", b"").replace(b",", b"")) if shown else -1
            count = min(count, COUNT_CAP)
            if on_page != count:
                sys.exit(f"{case.name}: the page shows {on_page} children, the plain SELECT counts {count}")
            rows = count
        if i < WARMUPS:
            continue
        request_s.append(t1 - t0)
        plain_s.append(t3 - t2)
        sql_total.append(sum(s for _, _, s in clock.calls))
        sql_count.append(sum(s for q, _, s in clock.calls if QueryClock.is_count(q)))
        sql_page.append(sum(s for q, _, s in clock.calls if QueryClock.is_page(q)))
    result = CaseResult(
        case.name, case.url, rows, Stats.of(request_s), Stats.of(plain_s), Stats.of(sql_total), Stats.of(sql_count),
        Stats.of(sql_page), len(first_clock.calls),
    )  # fmt: skip
    return result, first_clock


def check_same_rows(case: Case, user: Any, flt: Any) -> None:
    """The plain SELECT returns exactly the ORM's first page and count (else the comparison means nothing)."""
    from django.db import connection

    from treem.registry.selectors import child_list

    qs = child_list(user, flt)
    with connection.cursor() as cursor:
        count, ids = case.plain.run(cursor)
    orm_ids = list(qs.values_list("pk", flat=True)[:PAGE_SIZE])
    orm_count = qs[: COUNT_CAP + 1].count()  # as the list page's capped paginator counts
    if (count, ids) != (orm_count, orm_ids):
        sys.exit(f"{case.name}: the plain SELECT does not return the ORM's rows ({count} vs {orm_count})")


def time_plain(plain: Plain, repeat: int) -> tuple[Stats, int]:
    from django.db import connection

    seconds = []
    count = 0
    with connection.cursor() as cursor:
        for i in range(WARMUPS + repeat):
            t0 = time.perf_counter()
            count, _ = plain.run(cursor)
            if i >= WARMUPS:
                seconds.append(time.perf_counter() - t0)
    return Stats.of(seconds), count


def explain(sql: str, params: Any, *, analyze: bool = False) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            parents: dict[int, int] = {0: -1}
            lines = []
            for node, parent, _, detail in cursor.fetchall():
                parents[node] = parents.get(parent, -1) + 1
                lines.append("  " * parents[node] + detail)
            return lines
        cursor.execute(("EXPLAIN (ANALYZE, BUFFERS) " if analyze else "EXPLAIN ") + sql, params)
        return [row[0] for row in cursor.fetchall()]


def _inline(sql: str, params: Any) -> str:
    """The query with its parameters written in, and a long select list shortened."""
    text = sql % tuple(str.__repr__(p) if isinstance(p, str) else f"'{p}'" for p in params)
    head, sep, tail = text.partition(" FROM ")
    if len(head) > 120:
        head = f"{head[:60]}, … ({head.count(',') + 1} columns)"
    return head + sep + tail


def run_leg(args: argparse.Namespace) -> LegResult:
    from django.db import connection
    from django.utils.http import urlencode

    from treem.core.dates import today_vn
    from treem.registry.models import Child
    from treem.registry.selectors import AGE_BANDS, ChildFilter, dob_range_for_ages
    from treem.units.models import Unit

    if args.reuse_db and args.db == "sqlite" and SQLITE_FILE.exists():
        from django.core.management import call_command

        call_command("migrate", verbosity=0)  # the indexes of the code being measured
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        seeded, rows, seconds = Child.objects.count(), 0, 0.0
        print(f"Reusing {SQLITE_FILE} ({seeded:,} children)")
    else:
        from django.core.management import call_command

        if "registry_child" in connection.introspection.table_names() and Child.objects.exists():
            sys.exit("This database already holds children: the benchmark only runs on an empty database.")
        call_command("migrate", verbosity=0)
        print(f"Seeding {args.children:,} children ({connection.vendor})")
        t0 = time.perf_counter()
        seeded, rows = seed(args.children, args.provinces)
        seconds = time.perf_counter() - t0
        print(f"  seeded {seeded:,} children, {rows:,} rows in {seconds:.0f} s ({seeded / seconds:,.0f} children/s)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version")
        version = ("SQLite " if connection.vendor == "sqlite" else "PostgreSQL ") + cursor.fetchone()[0].split()[0]
    officer, specialist = bench_users(args.provinces)
    commune, province = officer.unit, specialist.unit
    words = tuple(SEARCH_TEXT.split())
    dob = dob_range_for_ages(*AGE_BANDS["6-10"], today_vn())
    listing = {"sex": "F", "age": "6-10"}
    in_commune = {**listing, "unit": commune.pk}
    specs = [  # name, user, query string, what the ORM filters on, the selector's filter
        # the WHERE as `registry.selectors.in_unit` writes it: a commune by its id, a province by its path's province
        (OFFICER_SEARCH, officer, {"q": SEARCH_TEXT}, Where((commune.path,), words, commune_id=commune.pk),
         ChildFilter(q=SEARCH_TEXT)),
        (PROVINCE_SEARCH, specialist, {"q": SEARCH_TEXT}, Where((province.path,), words, province=province.path),
         ChildFilter(q=SEARCH_TEXT)),
        (OFFICER_LIST, officer, in_commune,
         Where((commune.path, commune.path), dob=dob, sex="F", commune_id=commune.pk),
         ChildFilter(unit_id=commune.pk, age_band="6-10", sex="F")),
        (PROVINCE_LIST_COMMUNE, specialist, in_commune,
         Where((province.path, commune.path), dob=dob, sex="F", commune_id=commune.pk),
         ChildFilter(unit_id=commune.pk, age_band="6-10", sex="F")),
        (PROVINCE_LIST, specialist, listing, Where((province.path,), dob=dob, sex="F", province=province.path),
         ChildFilter(age_band="6-10", sex="F")),
    ]  # fmt: skip
    leg = LegResult(connection.vendor, version, seeded, args.repeat, seconds, rows)
    print(
        f"Officer of {commune.name} ({Child.objects.filter(unit_path__path_prefix=commune.path).count():,} children "
        f"in scope); specialist of {province.name} "
        f"({Child.objects.filter(unit_path__path_prefix=province.path).count():,}); {Unit.objects.count():,} units"
    )
    clocks: dict[str, QueryClock] = {}
    cases: dict[str, Case] = {}
    leg.load.append(os.getloadavg()[0])
    specs += [(name + HTMX, *spec) for name, *spec in specs[:2]]
    unmerged = any(f.name == "merged_into" for f in Child._meta.fields)  # mirror the selector, whichever version
    for name, user, query, where, flt in specs:
        where = replace(where, unmerged=unmerged)
        url = "/registry/children/?" + urlencode(query)
        # The list page caps its COUNT (treem.core.paging), so the plain SELECT does too: the same work.
        case = Case(
            name, user, url, where, where.plain(connection.vendor, count_cap=COUNT_CAP), htmx=name.endswith(HTMX)
        )
        check_same_rows(case, user, flt)
        result, clocks[name] = measure(case, args.repeat)
        cases[name] = case
        leg.cases.append(result)
        print(f"  {name}: p50 {_f(result.request.median)} ms, p95 {_f(result.request.p95)} ms ({result.rows:,} rows)")

    # The ORM's own SQL as the request ran it: the officer search (the index at work), and every case that misses
    # the target (EXPLAIN ANALYZE on PostgreSQL, to see where the time goes).
    missed = [c.name for c in leg.cases if not c.met and not c.name.endswith(HTMX)]
    for name in dict.fromkeys([OFFICER_SEARCH, *missed]):
        for sql, params, _ in clocks[name].calls:
            if QueryClock.is_count(sql) or QueryClock.is_page(sql):
                kind = "COUNT" if QueryClock.is_count(sql) else "page"
                leg.explain.append(f"-- {name}: {kind} query\n{_inline(sql, params)}")
                leg.explain.extend(explain(sql, params, analyze=name != OFFICER_SEARCH))

    if connection.vendor == "postgresql":
        for n in range(2, args.pg_databases + 1):
            leg.fresh.append(fresh_database_run(n, cases, args.repeat))
    if not args.no_alternatives:
        run_alternatives(leg, cases, args.repeat)
    leg.load.append(os.getloadavg()[0])
    return leg


def fresh_database_run(n: int, cases: dict[str, Case], repeat: int) -> list[CaseResult]:
    """The cases on a fresh copy of the database (`CREATE DATABASE … TEMPLATE`: the same rows, page for page) after
    its own `ANALYZE`, whose random sample gives it statistics of its own: a plan that depends on the sample shows up
    as one database much slower than the others. The benchmark's connection moves to the copy and stays there."""
    import psycopg
    from django.db import connection

    settings = connection.settings_dict
    template = settings["NAME"] if n == 2 else settings["NAME"].rsplit("_fresh", 1)[0]
    name = f"{template}_fresh{n}"
    connection.close()
    conninfo = {"host": settings["HOST"], "port": settings["PORT"], "user": settings["USER"], "dbname": "postgres"}
    with psycopg.connect(**conninfo, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    settings["NAME"] = name
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"Fresh database {n} ({name}, its own ANALYZE):")
    results = []
    for case in cases.values():
        result, _clock = measure(case, repeat)
        results.append(result)
        print(f"  {case.name}: p50 {_f(result.request.median)} ms, p95 {_f(result.request.p95)} ms")
    return results


def _time_page_only(plain: Plain, repeat: int) -> Stats:
    from django.db import connection

    seconds = []
    with connection.cursor() as cursor:
        for i in range(WARMUPS + repeat):
            t0 = time.perf_counter()
            cursor.execute(
                f"SELECT {plain.select} FROM registry_child WHERE {plain.where} "
                f"ORDER BY name_key, date_of_birth, id LIMIT {PAGE_SIZE}",
                plain.params,
            )
            cursor.fetchall()
            if i >= WARMUPS:
                seconds.append(time.perf_counter() - t0)
    return Stats.of(seconds)


def run_alternatives(leg: LegResult, cases: dict[str, Case], repeat: int) -> None:
    """Changes the application could make, measured on the same rows: a capped COUNT, an FTS5 or trigram index."""
    from django.db import connection

    vendor = connection.vendor
    # The unit filter adds its path next to the scope path; the unit is already checked to be in scope.
    case = cases[PROVINCE_LIST_COMMUNE]
    stats, rows = time_plain(replace(case.where, paths=case.where.paths[-1:]).plain(vendor), repeat)
    leg.alternatives.append(AltResult("plain, the unit's path only (no scope path)", case.name, stats, rows))
    for name in (PROVINCE_SEARCH, PROVINCE_LIST):
        case = cases[name]
        stats, rows = time_plain(case.where.plain(vendor, count_cap=COUNT_CAP), repeat)
        leg.alternatives.append(AltResult(f"plain, COUNT capped at {COUNT_CAP}", name, stats, rows))
        leg.alternatives.append(
            AltResult("plain, first page only (no COUNT)", name, _time_page_only(case.plain, repeat), 0)
        )

    commune_in_name_order(leg, cases, repeat)
    if vendor == "postgresql":
        postgres_without_name_index(leg, cases, repeat)

    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute("DROP TABLE IF EXISTS child_fts")  # left behind by an interrupted --keep-db run
            cursor.execute(
                "CREATE VIRTUAL TABLE child_fts USING fts5(search_text, content='registry_child', content_rowid='id',"
                " prefix='2 3')"
            )
            cursor.execute("INSERT INTO child_fts(rowid, search_text) SELECT id, search_text FROM registry_child")
            index = "FTS5 prefix MATCH"
        else:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            cursor.execute("DROP INDEX IF EXISTS bench_child_search_trgm")
            cursor.execute(
                "CREATE INDEX bench_child_search_trgm ON registry_child USING gin (search_text gin_trgm_ops)"
            )
            cursor.execute("ANALYZE registry_child")
            index = "pg_trgm GIN index"
    built = time.perf_counter() - t0
    print(f"  built the {index} in {built:.0f} s")
    for name in (OFFICER_SEARCH, PROVINCE_SEARCH):
        case = cases[name]
        if vendor == "sqlite":
            stats, rows = time_plain(case.where.plain(vendor, fts=True), repeat)
            leg.alternatives.append(AltResult(f"plain, {index}", name, stats, rows, f"index built in {built:.0f} s"))
            stats, rows = time_plain(case.where.plain(vendor, fts=True, count_cap=COUNT_CAP), repeat)
            leg.alternatives.append(AltResult(f"plain, {index}, COUNT capped", name, stats, rows))
            continue
        stats, rows = time_plain(case.plain, repeat)
        leg.alternatives.append(AltResult(f"plain, {index}", name, stats, rows, f"index built in {built:.0f} s"))
        # The ORM's LIKE uses the index with no code change: time the real page again.
        result, clock = measure(case, repeat)
        leg.alternatives.append(
            AltResult(f"full request, {index}", name, result.request, result.rows, "no code change")
        )
        for sql, params, _ in clock.calls:
            if QueryClock.is_count(sql) and name == PROVINCE_SEARCH:
                leg.explain.append(f"-- {name}: COUNT query with the {index}")
                leg.explain.extend(explain(sql, params, analyze=True))
    if vendor == "sqlite":
        sqlite_alternatives(leg, cases, repeat)
    with connection.cursor() as cursor:  # leave the database as the application would have it
        cursor.execute("DROP TABLE child_fts" if vendor == "sqlite" else "DROP INDEX bench_child_search_trgm")


def commune_in_name_order(leg: LegResult, cases: dict[str, Case], repeat: int) -> None:
    """The commune as an equality on commune_id, which one index serves already in name order (no sort, no walk)."""
    from django.db import connection

    vendor = connection.vendor
    index, columns = "bench_child_commune_name", "commune_id, name_key, date_of_birth, id"
    commune_id = cases[OFFICER_SEARCH].user.unit_id
    expected = {c.name: c.rows for c in leg.cases}
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX IF EXISTS {index}")
        t0 = time.perf_counter()
        cursor.execute(f"CREATE INDEX {index} ON registry_child ({columns})")
        cursor.execute("ANALYZE registry_child" if vendor == "postgresql" else "ANALYZE")
        note = f"index built in {time.perf_counter() - t0:.0f} s"
        for name in (OFFICER_SEARCH, OFFICER_LIST, PROVINCE_LIST_COMMUNE):
            plain = replace(cases[name].where, commune_id=commune_id).plain(vendor)
            stats, rows = time_plain(plain, repeat)
            check = "" if rows == expected[name] else f"; {rows} rows, not {expected[name]}!"
            leg.alternatives.append(
                AltResult(f"plain, commune_id = …, index ({columns})", name, stats, rows, note + check)
            )
            if name == OFFICER_SEARCH:
                order = "ORDER BY name_key, date_of_birth, id"
                page = f"SELECT {plain.select} FROM registry_child WHERE {plain.where} {order}"
                leg.explain.append(f"-- {name}: plain page with commune_id = … and the index {index}")
                leg.explain.extend(explain(f"{page} LIMIT {PAGE_SIZE}", plain.params))
        cursor.execute(f"DROP INDEX {index}")


def postgres_without_name_index(leg: LegResult, cases: dict[str, Case], repeat: int) -> None:
    """PostgreSQL: the pages when the planner cannot walk the name_key index to serve ORDER BY … LIMIT 50.

    The index is dropped inside a transaction that is rolled back, so the database is left as it was.
    """
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "registry_child")
        for index in [k for k, c in constraints.items() if c["index"] and c["columns"] == ["name_key"]]:
            cursor.execute(f'DROP INDEX "{index}"')
        for name in (OFFICER_SEARCH, PROVINCE_SEARCH, PROVINCE_LIST_COMMUNE, PROVINCE_LIST):
            stats, rows = time_plain(cases[name].plain, repeat)
            leg.alternatives.append(AltResult("plain, without the name_key index", name, stats, rows, "sorts matches"))
        for name in (OFFICER_SEARCH, PROVINCE_LIST_COMMUNE):
            result, _ = measure(cases[name], repeat)
            leg.alternatives.append(
                AltResult("full request, without the name_key index", name, result.request, result.rows)
            )
        transaction.set_rollback(True)


def sqlite_alternatives(leg: LegResult, cases: dict[str, Case], repeat: int) -> None:
    """SQLite only: a memory-mapped file and a bigger page cache; covering indexes for the two province cases."""
    from django.db import connection

    province_cases = (PROVINCE_SEARCH, PROVINCE_LIST)
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "registry_child")
        by_name = next(k for k, c in constraints.items() if c["index"] and c["columns"] == ["name_key"])
        # The planner sorts every match of the unit_path range; walking the name index instead stops at 50 matches.
        for name in province_cases:
            plain = cases[name].where.plain("sqlite", count_cap=COUNT_CAP, page_hint=f"INDEXED BY {by_name}")
            stats, rows = time_plain(plain, repeat)
            leg.alternatives.append(AltResult("plain, page walks the name_key index, COUNT capped", name, stats, rows))
        cursor.execute("PRAGMA mmap_size=1073741824")
        cursor.execute("PRAGMA cache_size=-262144")
        for name in province_cases:
            stats, rows = time_plain(cases[name].plain, repeat)
            leg.alternatives.append(AltResult("plain, mmap_size 1 GiB + cache_size 256 MiB", name, stats, rows))
        cursor.execute("PRAGMA mmap_size=0")
        cursor.execute("PRAGMA cache_size=-2000")
        covering = {
            PROVINCE_SEARCH: ("bench_child_path_search", "unit_path, status, search_text"),
            PROVINCE_LIST: ("bench_child_path_sex_dob", "unit_path, status, sex, date_of_birth"),
        }
        for name, (index, columns) in covering.items():
            t0 = time.perf_counter()
            cursor.execute(f"DROP INDEX IF EXISTS {index}")
            cursor.execute(f"CREATE INDEX {index} ON registry_child ({columns})")
            cursor.execute("ANALYZE")
            built = time.perf_counter() - t0
            stats, rows = time_plain(cases[name].plain, repeat)
            leg.alternatives.append(
                AltResult(f"plain, covering index ({columns})", name, stats, rows, f"index built in {built:.0f} s")
            )
            plain = cases[name].plain
            leg.explain.append(f"-- {name}: plain COUNT with the covering index {index}")
            leg.explain.extend(explain(f"SELECT COUNT(*) FROM registry_child WHERE {plain.where}", plain.params))
            cursor.execute(f"DROP INDEX {index}")
        cursor.execute("ANALYZE")


# --- output ---------------------------------------------------------------------------------------------------------


def _f(x: float) -> str:
    return f"{x:,.1f}" if x < 100 else f"{x:,.0f}"


def table(header: list[str], rows: list[list[str]]) -> None:
    """Columns padded to their widest cell; the first column left-aligned, the others right-aligned."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, ["-" * w for w in widths], *rows]:
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)]
        print(" | ".join(cells))


def _baseline(case: CaseResult, alt: AltResult) -> float:
    return case.request.median if alt.is_request else case.plain.median


def print_leg(leg: LegResult) -> None:
    print()
    print(f"== {leg.version}: {leg.children:,} children, {leg.repeat} timed requests per case after {WARMUPS} warm-ups")
    if leg.seed_seconds:
        print(
            f"   seeding: {leg.seed_seconds:.0f} s for {leg.seed_rows:,} rows "
            f"({leg.children / leg.seed_seconds:,.0f} children/s, {leg.seed_rows / leg.seed_seconds:,.0f} rows/s)"
        )
    load = " → ".join(f"{x:.1f}" for x in leg.load)
    print(f"   machine: {os.cpu_count()} cores, 1-minute load average {load} during the timings")
    print()
    table(
        ["case", "rows", "median ms", "p95 ms", "plain SELECT median", "p95", "ratio", f"p95 ≤ {TARGET_P95_MS:.0f} ms"],
        [
            [
                c.name,
                f"{c.rows:,}",
                _f(c.request.median),
                _f(c.request.p95),
                _f(c.plain.median),
                _f(c.plain.p95),
                f"{c.ratio:.1f}x",
                "yes" if c.met else "NO",
            ]
            for c in leg.cases
        ],
    )
    print()
    print("Where the request time goes (medians, ms; SQL = time spent in cursor.execute):")
    table(
        ["case", "request", "all SQL", "COUNT", "page query", "other SQL", "Python + template", "queries"],
        [
            [
                c.name,
                _f(c.request.median),
                _f(c.sql_total.median),
                _f(c.sql_count.median),
                _f(c.sql_page.median),
                _f(c.sql_total.median - c.sql_count.median - c.sql_page.median),
                _f(c.request.median - c.sql_total.median),
                str(c.queries),
            ]
            for c in leg.cases
        ],
    )
    if leg.fresh:
        print()
        n = 1 + len(leg.fresh)
        print(f"p95 (median) of each case on {n} databases with the same rows, each analyzed anew, ms:")
        table(
            ["case", *(f"database {i + 1}" for i in range(n)), "worst p95", "met"],
            [
                [
                    c.name,
                    *(f"{_f(r.request.p95)} ({_f(r.request.median)})" for r in runs),
                    _f(max(r.request.p95 for r in runs)),
                    "yes" if all(r.met for r in runs) else "NO",
                ]
                for c, *rest in zip(leg.cases, *leg.fresh, strict=True)
                for runs in [[c, *rest]]
            ],
        )
    if leg.alternatives:
        by_name = {c.name: c for c in leg.cases}
        print()
        print("Alternatives on the same rows (ms; speed-up against the case's plain SELECT, or its request):")
        table(
            ["case", "alternative", "median", "p95", "speed-up", "note"],
            [
                [
                    a.baseline,
                    a.name,
                    _f(a.stats.median),
                    _f(a.stats.p95),
                    f"{_baseline(by_name[a.baseline], a) / a.stats.median:.1f}x",
                    a.note,
                ]
                for a in leg.alternatives
            ],
        )
    if leg.explain:
        print()
        print("Query plans:")
        for line in leg.explain:
            print(f"\n{line}" if line.startswith("--") else f"    {line}")


def print_side_by_side(legs: list[LegResult]) -> None:
    print()
    print(f"== Side by side: full request median / p95 (plain SELECT median), ms; target p95 ≤ {TARGET_P95_MS:.0f} ms")
    header = ["case"]
    for leg in legs:
        header += [f"{leg.version} request", "plain", "met"]
    rows = []
    for i, first in enumerate(legs[0].cases):
        row = [first.name]
        for leg in legs:
            c = leg.cases[i]
            row += [f"{_f(c.request.median)} / {_f(c.request.p95)}", _f(c.plain.median), "yes" if c.met else "NO"]
        rows.append(row)
    table(header, rows)


# --- entry point ----------------------------------------------------------------------------------------------------


def run_both(args: argparse.Namespace) -> None:
    """Run the SQLite leg, then the PostgreSQL leg on a throwaway server, and print both tables."""
    legs = []
    for db in ("sqlite", "postgres"):
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
            json_path = Path(out.name)
        cmd = [sys.executable, str(Path(__file__).resolve()), "--db", db, "--children", str(args.children),
               "--repeat", str(args.repeat), "--pg-databases", str(args.pg_databases),
               "--provinces", ",".join(args.provinces),
               "--json", str(json_path)]  # fmt: skip
        if args.no_alternatives:
            cmd.append("--no-alternatives")
        env = {k: v for k, v in os.environ.items() if k != "TREEM_DATABASE_URL"}
        if db == "postgres":
            cmd = [str(ROOT / "scripts" / "with-postgres"), *cmd]
        print(f"\n##### {db} leg: {' '.join(cmd)}", flush=True)
        subprocess.run(cmd, check=True, env=env, cwd=ROOT)
        legs.append(LegResult.from_json(json.loads(json_path.read_text(encoding="utf-8"))))
        json_path.unlink()
    for leg in legs:
        print_leg(leg)
    print_side_by_side(legs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--children", type=int, default=1_000_000, help="children to seed (default 1,000,000)")
    parser.add_argument("--repeat", type=int, default=30, help=f"timed requests per case, after {WARMUPS} warm-ups")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--no-alternatives", action="store_true", help="skip the capped COUNT and FTS/trigram runs")
    parser.add_argument("--reuse-db", action="store_true", help=f"SQLite: reuse {SQLITE_FILE} if it exists")
    parser.add_argument("--keep-db", action="store_true", help=f"SQLite: keep {SQLITE_FILE} afterwards")
    parser.add_argument(
        "--pg-databases", type=int, default=4,
        help="PostgreSQL: measure on this many databases with the same rows, each with its own ANALYZE (default 4)",
    )  # fmt: skip
    parser.add_argument(
        "--provinces", type=lambda v: tuple(v.split(",")), default=PROVINCES,
        help=f"province codes whose communes get the children, the specialist's first (default {','.join(PROVINCES)})",
    )  # fmt: skip
    parser.add_argument("--json", type=Path, help=argparse.SUPPRESS)  # used by --db both
    args = parser.parse_args()
    if args.repeat < 2:
        parser.error("--repeat needs at least 2 timed requests for a p95")
    if args.db == "both":
        run_both(args)
        return
    setup_django(args.db, reuse=args.reuse_db)
    leg = run_leg(args)
    if args.json:  # a leg of --db both: the parent prints the tables
        args.json.write_text(json.dumps(asdict(leg)), encoding="utf-8")
    else:
        print_leg(leg)
    if args.db == "sqlite" and not args.keep_db:
        from django.db import connection

        connection.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
