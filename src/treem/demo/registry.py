"""Synthetic households and children for the demo communes (`treem demo seed --children N`). Synthetic data only.

Each household is planned in memory (ethnicity, family situation, dates of birth, names, poverty), then everything
is written through the registry's bulk writer (`registry.services.bulk`), with a first history row per record.
Re-running adds only the children missing to reach the requested number.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count

from treem.core.dates import today_vn
from treem.core.ids import PROVINCE_BIRTH_CODES, make_personal_id
from treem.core.text import fold
from treem.registry.models import (
    Child,
    Circumstance,
    CircumstanceSubtype,
    CircumstanceType,
    DatePrecision,
    Guardianship,
    Household,
    HouseholdPoverty,
    Nutrition,
    Person,
    PovertyStatus,
    SchoolStatus,
)
from treem.registry.services.bulk import BulkWriter
from treem.units.models import Level, Unit

from .names import PersonName, Pool, is_exogamous, make_name, pick_ethnicity, pick_surname, spouse_ethnicity
from .profiles import (
    DEFAULT_PROFILE,
    DISABILITY,
    ENDED_CODES,
    KIDS,
    MIN_AGE,
    NUTRITION,
    OCCUPATIONS,
    OPEN_CODES,
    PROFILES,
    RISK_CODES,
    SUBTYPES,
)
from .units import demo_areas

BATCH = 500
LAI_CHAU = "12"
SOUTH = frozenset({"75"})
HIGHLAND = frozenset({"Mông", "Hà Nhì", "Dao", "Cống", "Si La", "Mảng"})  # larger families, earlier marriage
MIGRANT_HOMES = ("001", "025", "030", "034", "035", "036", "037", "040")  # Kinh settlers in Lai Châu came from here
SURVEY = "Rà soát trẻ em có hoàn cảnh đặc biệt của UBND xã"
SOURCES = {"d": "Quyết định xác định mức độ khuyết tật của UBND xã", "n": "Rà soát hộ nghèo, cận nghèo"}
RISK_SOURCE = "Báo cáo của cộng tác viên thôn, bản"
POOR, NEAR_POOR = PovertyStatus.POOR, PovertyStatus.NEAR_POOR


@dataclass(frozen=True, slots=True)
class RegistryStats:
    households: int = 0
    children: int = 0
    adults: int = 0
    special: int = 0  # new children in a special-circumstance group today
    poor: int = 0  # new households poor today
    existing: int = 0  # children the demo communes had before


@dataclass(frozen=True, slots=True)
class Spot:
    """Where households go: a village, or the commune itself (village None)."""

    province: str
    commune: Unit
    village: Unit | None


@dataclass
class Plan:
    """One household before it becomes rows."""

    spot: Spot
    ethnicity: str
    situation: str  # two_parents | single_mother | single_father | migrant | orphan | no_support
    father: tuple[PersonName, dt.date, str]  # name, date of birth, ethnicity
    mother: tuple[PersonName, dt.date, str]
    kids: list[tuple[PersonName, str, dt.date]]  # name, sex, date of birth (twins share it)
    grandparent: tuple[PersonName, str, dt.date] | None = None  # the head when present
    poverty: str | None = None
    loss_date: dt.date | None = None  # when a parent died or left
    risks: dict[int, str] = field(default_factory=dict)  # kid index -> risk code


def _dob(child: Child) -> dt.date:
    assert child.date_of_birth is not None  # noqa: S101 - every generated child has a date of birth
    return child.date_of_birth


def _split(weights: Sequence[float], total: int) -> list[int]:
    """`total` split in proportion to `weights` (largest remainder), summing exactly to `total`."""
    s = sum(weights)
    if total <= 0 or s <= 0:
        return [0] * len(weights)
    raw = [w * total / s for w in weights]
    out = [int(r) for r in raw]
    for i in sorted(range(len(raw)), key=lambda i: out[i] - raw[i])[: total - sum(out)]:
        out[i] += 1
    return out


def _is(unit: Unit | None, name: str) -> bool:
    return unit is not None and fold(unit.short_name) == name


def _spots() -> list[Spot]:
    spots = []
    for area in demo_areas():
        for commune in area.communes:
            spots.append(Spot(area.province.code, commune, None))
            villages = Unit.objects.filter(parent=commune, level=Level.VILLAGE).order_by("path")
            spots += [Spot(area.province.code, commune, v) for v in villages]
    return spots


def _targets(spots: list[Spot], total: int) -> list[int]:
    """Children per spot: Khun Há (where the demo users work) and its Bản Hon first, Lai Châu weighted up."""
    communes = list(dict.fromkeys((s.commune, s.province) for s in spots))
    weights = [1.5 if p == LAI_CHAU else 1.0 for _c, p in communes]
    kh = next((i for i, (c, p) in enumerate(communes) if p == LAI_CHAU and _is(c, "khun ha")), None)
    kh_total = 0 if kh is None else min(total, max(round(total * 0.18), min(40, total // 2)))
    if kh is not None:
        weights[kh] = 0
    per_commune = _split(weights, total - kh_total)
    if kh is not None:
        per_commune[kh] = kh_total
    out = [0] * len(spots)
    for (commune, _p), n in zip(communes, per_commune, strict=True):
        idx = [i for i, s in enumerate(spots) if s.commune.pk == commune.pk]
        hon = next((i for i in idx if _is(spots[i].village, "hon")), None)
        if hon is not None:
            out[hon] = min(n, max(round(n * 0.45), 40))
            n -= out[hon]
            idx.remove(hon)
        for i, k in zip(idx, _split([1.0 if spots[i].village else 0.25 for i in idx], n), strict=True):
            out[i] = k  # most households in villages, a few recorded at commune level
    return out


class Generator:
    def __init__(self, rng: random.Random, actor: Any, target: int) -> None:
        self.rng, self.target = rng, target
        self.today = today_vn()
        self.user = actor if getattr(actor, "is_authenticated", False) else None
        self.used_ids = set(Child.objects.exclude(personal_id=None).values_list("personal_id", flat=True))
        self.used_ids |= set(Person.objects.exclude(personal_id=None).values_list("personal_id", flat=True))
        self.types = {(t.kind, t.code): t for t in CircumstanceType.objects.all()}
        self.subtypes: dict[tuple[int, str | None], CircumstanceSubtype] = {
            (s.type_id, s.code): s for s in CircumstanceSubtype.objects.all()
        }
        self.household_seq: dict[int, int] = {}
        self.households: list[Household] = []
        self.adults: list[tuple[Person, Household]] = []
        self.children: list[tuple[Child, Plan, list[str]]] = []  # child, its household's plan, guardian names
        self.links: list[Guardianship] = []
        self.poverty: list[HouseholdPoverty] = []
        self.circumstances: list[Circumstance] = []
        self.special: set[int] = set()  # id() of children in a special-circumstance group today
        self.twins = 0

    def days(self, n: int) -> dt.timedelta:
        return dt.timedelta(days=n)

    def between(self, lo: dt.date, hi: dt.date) -> dt.date:
        """A random day from lo to hi (never after today); lo itself when the range is empty."""
        hi = min(hi, self.today)
        return min(lo, self.today) if lo >= hi else lo + self.days(self.rng.randint(0, (hi - lo).days))

    def age(self, dob: dt.date) -> int:
        return self.today.year - dob.year - ((self.today.month, self.today.day) < (dob.month, dob.day))

    def new_id(self, code: str, dob: dt.date, sex: str) -> str:
        while True:
            pid = make_personal_id(code, dob, sex, self.rng.randrange(1_000_000))
            if pid not in self.used_ids:
                self.used_ids.add(pid)
                return pid

    # --- planning -----------------------------------------------------------------------------------------------

    def births(self, k: int) -> list[dt.date]:
        """Dates of birth of k siblings, oldest first: 1–4 years apart, ~1.5% twin births, all under 18."""
        rng, events, left = self.rng, [], k
        while left:
            force = self.twins == 0 and len(self.children) >= self.target // 2  # every run shows a pair of twins
            twin = left >= 2 and (force or rng.random() < 0.015)
            self.twins += twin
            events.append(2 if twin else 1)
            left -= events[-1]
        gaps = [rng.randint(400, 1500) for _ in events[1:]] + [0]
        dob = self.today - self.days(rng.randint(0, 18 * 365 - 3 - sum(gaps)) + sum(gaps))
        dobs = []
        for n, gap in zip(events, gaps, strict=True):
            dobs += [dob] * n
            dob += self.days(gap)
        return dobs

    def plan(self, spot: Spot, max_kids: int) -> Plan:
        rng, profile, south = self.rng, PROFILES.get(spot.province, DEFAULT_PROFILE), spot.province in SOUTH
        eth = pick_ethnicity(rng, spot.province, spot.commune.short_name)
        m_eth = spouse_ethnicity(rng, eth, spot.province)
        group = "highland" if eth in HIGHLAND else "kinh" if eth in ("Kinh", "Hoa") else "other"
        dobs = self.births(min(max_kids, int(KIDS[group].pick(rng))))
        first = rng.randint(18, 23) if group == "highland" else rng.randint(19 if group == "other" else 21, 30)
        m_dob = dobs[0] - self.days(first * 365 + rng.randint(0, 364))
        m_dob = max(m_dob, dobs[-1] - self.days(43 * 365))  # no mother over 43 at the last birth
        f_dob = m_dob - self.days(rng.randint(-365, 7 * 365))
        father = make_name(rng, eth, "M", born=f_dob.year, south=south)
        exclude = {father.surname} if is_exogamous(m_eth) else set()  # Mông, Dao, Hà Nhì… marry out of the clan
        mother_surname = pick_surname(rng, m_eth, south=south, exclude=exclude)
        mother = make_name(rng, m_eth, "F", born=m_dob.year, surname=mother_surname, south=south)
        situation = profile.situations.pick(rng)
        kids: list[tuple[PersonName, str, dt.date]] = []
        for dob in dobs:
            sex = "M" if rng.random() < 0.53 else "F"
            same_twin = bool(kids) and dob == kids[-1][2] and sex == kids[-1][1] and rng.random() < 0.6
            middle = kids[-1][0].middle if same_twin else None
            name = make_name(rng, eth, sex, born=dob.year, surname=father.surname, south=south, middle=middle,
                             avoid_given={k[0].given for k in kids})  # fmt: skip
            kids.append((name, sex, dob))
        plan = Plan(spot, eth, situation, (father, f_dob, eth), (mother, m_dob, m_eth), kids)
        draw = rng.random()
        if situation in ("migrant", "orphan", "no_support") or draw < profile.grandparent_head:
            g_sex = "M" if rng.random() < 0.65 else "F"
            g_dob = f_dob - self.days(rng.randint(22 * 365, 32 * 365))
            g_surname = father.surname if g_sex == "M" else None
            plan.grandparent = (
                make_name(rng, eth, g_sex, born=g_dob.year, surname=g_surname, south=south),
                g_sex,
                g_dob,
            )
        if situation in ("orphan", "no_support", "single_father"):
            plan.loss_date = self.between(dobs[-1] + self.days(60), self.today - self.days(30))
        factor = (1.4 if group == "highland" else 0.5 if group == "kinh" else 1.0) * (
            2 if situation in ("orphan", "no_support") else 1
        )
        draw = rng.random()
        plan.poverty = POOR if draw < profile.poor * factor else None
        if not plan.poverty and draw < (profile.poor + profile.near_poor) * factor:
            plan.poverty = NEAR_POOR
        return plan

    def sua_plan(self, spot: Spot) -> Plan:
        """A fixed Mông family of Bản Hon whose 13-year-old daughter the demo finds by typing "sua"."""

        def born(years: int, days: int) -> dt.date:
            return self.today - self.days(round(years * 365.25) + days)

        kids = [(PersonName("Sùng", "A", "Dế"), "M", born(15, 40)),
                (PersonName("Sùng", "Thị", "Sua"), "F", born(13, 100)),
                (PersonName("Sùng", "A", "Tủa"), "M", born(9, 200))]  # fmt: skip
        father = (PersonName("Sùng", "A", "Chư"), born(40, 10), "Mông")
        mother = (PersonName("Giàng", "Thị", "Mỷ"), born(37, 80), "Mông")
        return Plan(spot, "Mông", "two_parents", father, mother, kids, poverty=POOR, risks={1: "dropout"})

    # --- rows ---------------------------------------------------------------------------------------------------

    def person(self, who: tuple[PersonName, str, dt.date], eth: str, plan: Plan, deceased: bool = False) -> Person:
        (name, sex, dob), rng, province = who, self.rng, plan.spot.province
        code = province
        if eth == "Kinh" and rng.random() < (0.6 if province == LAI_CHAU else 0.2):  # born in another province
            code = rng.choice(MIGRANT_HOMES if province == LAI_CHAU else tuple(PROVINCE_BIRTH_CODES))
        precision = DatePrecision.DAY
        if province == LAI_CHAU and eth != "Kinh" and dob.year < 1985 and rng.random() < 0.3:
            dob, precision = dob.replace(month=1, day=1), DatePrecision.YEAR
        has_id = rng.random() < (0.92 if province == LAI_CHAU else 0.96)
        occupation = OCCUPATIONS.get(province, OCCUPATIONS[""]).pick(rng)
        if plan.situation == "migrant" and not deceased and who is not plan.grandparent:
            occupation = "Lao động tại khu công nghiệp"
        return Person(
            full_name=name.full, sex=sex, date_of_birth=dob, dob_precision=precision, ethnicity=eth,
            personal_id=self.new_id(code, dob, sex) if has_id else None, occupation=occupation, is_deceased=deceased,
        )  # fmt: skip

    def child(self, name: PersonName, sex: str, dob: dt.date, plan: Plan, household: Household) -> Child:
        rng, province, eth = self.rng, plan.spot.province, plan.ethnicity
        profile, age, lc = PROFILES.get(province, DEFAULT_PROFILE), self.age(dob), province == LAI_CHAU
        registered = rng.random() >= (profile.unregistered if age < 5 else 0.003 if lc else 0)
        registered_on = min(dob + self.days(rng.randint(7, 300) if eth in HIGHLAND else rng.randint(3, 60)), self.today)
        prefix = "TE1" if age < 6 else "HN2" if plan.poverty == POOR else "DT2" if lc and eth != "Kinh" else "HS4"
        return Child(
            household=household, full_name=name.full, sex=sex, date_of_birth=dob, ethnicity=eth,
            personal_id=self.new_id(province, dob, sex) if registered and rng.random() >= profile.no_id else None,
            birth_registered=registered, birth_registration_date=registered_on if registered else None,
            health_insurance_number=f"{prefix}{province * 2}{rng.randrange(10**8):08d}" if rng.random() < 0.93 else "",
            school_status=self.school(age, lc), created_by=self.user,
            nutrition=Nutrition(NUTRITION.get(province, NUTRITION[""]).pick(rng)) if age < 5 else Nutrition.UNKNOWN,
        )  # fmt: skip

    def school(self, age: int, lc: bool) -> str:
        draw = self.rng.random()
        if age < 3:
            return SchoolStatus.NOT_OF_AGE
        if age < 6:
            return SchoolStatus.PRESCHOOL if draw < 0.92 else SchoolStatus.NOT_OF_AGE
        if age < 11:
            return SchoolStatus.PRIMARY if draw < 0.99 else SchoolStatus.NEVER_ENROLLED
        if age < 15:
            return SchoolStatus.LOWER_SECONDARY if draw < (0.93 if lc else 0.98) else SchoolStatus.DROPPED_OUT
        return SchoolStatus.UPPER_SECONDARY if draw < (0.7 if lc else 0.88) else SchoolStatus.DROPPED_OUT

    def build(self, plan: Plan) -> None:
        rng, spot, sit = self.rng, plan.spot, plan.situation
        seq = self.household_seq[spot.commune.pk] = self.household_seq.get(spot.commune.pk, 0) + 1
        place = spot.village or spot.commune
        address = f"Số {rng.randint(1, 180)}, {place.name}" if spot.commune.unit_type == "Phường" else place.name
        household = Household(code=f"{spot.commune.code}-{seq:04d}", commune=spot.commune, village=spot.village,
                              address=address)  # fmt: skip
        (f_name, f_dob, f_eth), (m_name, m_dob, m_eth) = plan.father, plan.mother
        father = None
        if sit != "single_mother":  # the father left: not in the household book
            father = self.person((f_name, "M", f_dob), f_eth, plan, deceased=sit in ("orphan", "no_support"))
        mother = self.person((m_name, "F", m_dob), m_eth, plan, deceased=sit in ("orphan", "single_father"))
        grand = self.person(plan.grandparent, plan.ethnicity, plan) if plan.grandparent else None
        head = grand or (father if father and not father.is_deceased else mother)
        household.head, household.head_name = head, head.full_name
        self.households.append(household)
        self.adults += [(p, household) for p in (father, mother, grand) if p is not None]
        if plan.poverty:
            since = dt.date(2024 if rng.random() < 0.6 else 2025, 1, 1)
            if plan.poverty == NEAR_POOR and since.year == 2025 and rng.random() < 0.4:  # escaped poverty in 2025
                old = HouseholdPoverty(household=household, status=POOR, valid_from=dt.date(2024, 1, 1),
                                       valid_to=dt.date(2024, 12, 31), source="Rà soát hộ nghèo năm 2023")  # fmt: skip
                self.poverty.append(old)
            source = f"Rà soát hộ nghèo, cận nghèo năm {since.year - 1}"
            self.poverty.append(
                HouseholdPoverty(household=household, status=plan.poverty, valid_from=since, source=source)
            )
        away = sit in ("migrant", "no_support")  # parents working far away, or one dead and the other in prison
        candidates = [(mother, "mother", not mother.is_deceased and not away),
                  (father, "father", father is not None and not father.is_deceased and sit != "migrant"),
                  (grand if away or sit == "orphan" else None, "grandparent", True)]  # fmt: skip
        carers = [(p, relation, lives) for p, relation, lives in candidates if p is not None]
        primary = next(p for p, _r, lives in carers if lives)
        names = [p.full_name for p, _r, _l in carers]
        for i, (name, sex, dob) in enumerate(plan.kids):
            child = self.child(name, sex, dob, plan, household)
            self.links += [
                Guardianship(
                    child=child, person=p, relation=r, lives_with_child=lives, is_primary_caregiver=p is primary
                )
                for p, r, lives in carers
            ]
            self.children.append((child, plan, names))
            if plan.loss_date and sit != "single_father" and self.age(dob) < 16:
                code, sub = ("a", "3") if sit == "orphan" else ("c", "1" if rng.random() < 0.6 else "3")
                self.add(child, "special", code, sub, max(plan.loss_date, dob), source=SURVEY)
            if i in plan.risks:
                self.add(child, "risk", plan.risks[i], None, self.today - self.days(rng.randint(60, 200)))

    def add(self, child: Child, kind: str, code: str, sub: str | None, start: dt.date, end: dt.date | None = None,
            source: str = "") -> None:  # fmt: skip
        ctype = self.types[(kind, code)]
        source = source or (RISK_SOURCE if kind == "risk" else SOURCES.get(code, SURVEY))
        subtype = self.subtypes.get((ctype.pk, sub))
        self.circumstances.append(Circumstance(child=child, type=ctype, subtype=subtype, valid_from=start, valid_to=end,
                                               source=source, recorded_by=self.user))  # fmt: skip
        if kind == "special" and end is None:
            self.special.add(id(child))

    # --- special circumstances and risks ------------------------------------------------------------------------

    def earliest(self, code: str, child: Child, plan: Plan) -> dt.date | None:
        """The earliest plausible start of `code` for the child, or None when it does not fit."""
        dob, years = _dob(child), MIN_AGE.get(code, 0)
        if self.age(dob) < years or (code == "n" and not plan.poverty) or (code == "b" and plan.situation != "migrant"):
            return None
        if code == "child_marriage" and child.sex != "F":
            return None
        lo = dob.replace(year=dob.year + years, day=min(dob.day, 28)) + self.days(30)
        floor = dt.date(2024, 1, 1) if code == "n" else dt.date(2019, 1, 1)  # n: since the household became poor
        return max(lo, floor if len(code) == 1 else self.today - self.days(730))  # risks are recent

    def assign(self, child: Child, plan: Plan, kind: str, pool: Pool, *, ended: bool = False) -> str | None:
        """Put the child in a group (or flag a risk) drawn from `pool`; `ended`: a period that is over."""
        rng, latest = self.rng, self.today - self.days(200 if ended else 14)
        for _ in range(25):
            code = pool.pick(rng)
            lo = self.earliest(code, child, plan)
            if lo is not None and (not ended or lo < latest):
                break
        else:
            return None
        start = self.between(lo, latest)
        end = self.between(start + self.days(60), self.today - self.days(1)) if ended else None
        sub = SUBTYPES[code].pick(rng) if code in SUBTYPES else None
        if code == "n":
            sub = "1" if plan.poverty == POOR else "2"
        self.add(child, kind, code, sub, start, end)
        if code == "d" and sub:
            child.disability = DISABILITY[sub]
            if sub == "1" and self.age(_dob(child)) >= 6 and rng.random() < 0.5:
                child.school_status = SchoolStatus.NEVER_ENROLLED
        if code == "h" and not ended:
            child.school_status = SchoolStatus.DROPPED_OUT
        return code

    def assign_circumstances(self) -> None:
        """Fill each province up to its share of children in special circumstances; add ended periods and risks."""
        rng = self.rng
        by_province: dict[str, list[tuple[Child, Plan]]] = {}
        for child, plan, _names in self.children:
            by_province.setdefault(plan.spot.province, []).append((child, plan))
        for province, rows in by_province.items():
            young = [(c, p) for c, p in rows if 1 <= self.age(_dob(c)) < 16]
            free = [(c, p) for c, p in young if id(c) not in self.special]
            rng.shuffle(free)
            already = sum(1 for c, _p in rows if id(c) in self.special)  # orphans and children without support
            need = max(0, round(PROFILES.get(province, DEFAULT_PROFILE).special * len(rows)) - already)
            for i, (child, plan) in enumerate(free[: need + round(0.012 * len(rows))]):
                if i >= need:
                    self.assign(child, plan, "special", ENDED_CODES, ended=True)
                elif self.assign(child, plan, "special", OPEN_CODES) != "n" and rng.random() < 0.15:
                    self.assign(child, plan, "special", Pool("n"))  # also ill in a poor household, when it is
            for child, plan in rng.sample(young, min(len(young), round(0.03 * len(rows)))):
                self.assign(child, plan, "risk", RISK_CODES, ended=rng.random() < 0.3)

    # --- writing ------------------------------------------------------------------------------------------------

    def save(self) -> RegistryStats:
        """Everything through the registry's bulk writer: households, then their adults, heads, children, links."""
        people = [p for p, _h in self.adults]
        bulk = BulkWriter(actor=self.user)
        bulk.households(self.households, heads_later=True)
        for person, household in self.adults:
            person.household = household
        bulk.people(people)
        bulk.set_heads(self.households)
        children = bulk.children((child, names) for child, _plan, names in self.children)
        bulk.guardianships(self.links)
        bulk.poverty(self.poverty)
        bulk.circumstances(self.circumstances)
        poor = {id(p.household) for p in self.poverty if p.status == POOR and p.valid_to is None}
        special = sum(id(c) in self.special for c in children)
        return RegistryStats(len(self.households), len(children), len(people), special, len(poor))


@transaction.atomic
def seed_registry(*, children: int, seed: int = 2026, actor: Any = None) -> RegistryStats:
    """Add synthetic households until the demo communes have `children` children; never changes existing ones."""
    spots = _spots()
    commune_ids = {s.commune.pk for s in spots}
    rows = Child.objects.filter(commune_id__in=commune_ids).values("commune_id", "village_id").annotate(n=Count("id"))
    counts: dict[tuple[int, int | None], int] = {(r["commune_id"], r["village_id"]): r["n"] for r in rows.order_by()}
    existing = sum(counts.values())
    if children <= existing or not spots:
        return RegistryStats(existing=existing)
    diff, targets = children - existing, _targets(spots, children)
    keys = [(s.commune.pk, s.village.pk if s.village else None) for s in spots]
    deficits = [max(0, t - counts.get(key, 0)) for key, t in zip(keys, targets, strict=True)]
    if sum(deficits) >= diff:
        need = _split(deficits, diff)
    else:
        need = [d + x for d, x in zip(deficits, _split(targets, diff - sum(deficits)), strict=True)]
    gen = Generator(random.Random(seed * 100_003 + existing), actor, diff)  # noqa: S311 - synthetic data, not secrets
    households = Household.objects.filter(commune_id__in=commune_ids).values("commune_id").annotate(n=Count("id"))
    gen.household_seq = {r["commune_id"]: r["n"] for r in households.order_by()}
    for spot, n in zip(spots, need, strict=True):
        hon = n >= 3 and spot.province == LAI_CHAU and _is(spot.village, "hon") and _is(spot.commune, "khun ha")
        if hon and not Child.objects.filter(commune=spot.commune, search_text__contains=" sua").exists():
            gen.build(gen.sua_plan(spot))
            n -= 3
        while n > 0:
            plan = gen.plan(spot, n)
            gen.build(plan)
            n -= len(plan.kids)
    gen.assign_circumstances()
    stats = gen.save()
    return RegistryStats(stats.households, stats.children, stats.adults, stats.special, stats.poor, existing)
