"""Labelled synthetic children for fitting and measuring the matcher (demo and test data only; no Django).

Households of one to four children (names from ``treem.demo.names``: family name from the father, Kinh and
minority naming styles), about 1 % of births twins (same date of birth, parents and household, a different given
name, often the same middle name): twins and siblings are the hard negatives. About 3 % of the records are a
second (rarely a third) entry of a child, made with one to three kinds of realistic error: typos, no diacritics,
old tone placement, TCVN3 font damage, capitals and stray spaces, a dropped middle name, day and month swapped,
one day off, year only, a re-typed ID with one digit wrong or two digits swapped, the ID missing, a move to
another village or commune, the other parent as guardian. Copies come after all originals, in random order.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

from treem.core.ids import make_personal_id
from treem.core.text import fold
from treem.demo.names import make_name, pick_ethnicity, spouse_ethnicity
from treem.matching.prepare import Record

PROVINCES = ("12", "33", "38", "75")
RECORDS_PER_COMMUNE = 1000
TWIN_BIRTH_RATE = 0.0101  # share of births that are twins: twins are ≈ 2 % of the records
DUPLICATE_RATE = 0.03  # share of all records that are a second entry of a child
THIRD_ENTRY_RATE = 0.08  # of duplicated children, how many are entered a third time
ID_RATE = 0.8  # children who have a personal ID number on the record
CHILDREN_PER_HOUSEHOLD = ((1, 30), (2, 40), (3, 20), (4, 10))
FIRST_BIRTH_YEARS = (2008, 2025)
VILLAGE_WORDS = ("Nậm", "Pắc", "Huổi", "Phiêng", "Co", "Na", "Tà", "Khun", "Lầm", "Hon", "Đông", "Tây", "Trung",
                 "Thượng", "Hạ", "Mới", "Cũ", "Sáng", "Chang", "Bó")  # fmt: skip
NOISE_WEIGHTS = {
    "name_typo": 12, "no_diacritics": 14, "old_tones": 6, "tcvn3": 5, "upper_spaces": 6, "drop_middle": 4,
    "dob_swap": 8, "dob_one_day": 6, "dob_year_only": 2, "dob_missing": 2, "id_digit": 7, "id_swap": 4,
    "id_missing": 8, "moved_village": 6, "moved_commune": 5, "guardian_other": 6, "guardian_typo": 4,
    "guardian_missing": 3, "sex_error": 1, "ethnicity_missing": 3,
}  # fmt: skip
TYPO_LETTERS = "abcdeghiklmnopqrstuvxy"
# How the first entry of a record was typed (a clerk's habit, so it applies to the guardian's name too).
ENTRY_STYLES = {"unicode": 80, "no_diacritics": 10, "upper": 5, "old_tones": 3, "tcvn3": 2}


@dataclass(frozen=True, slots=True)
class Truth:
    record_id: str
    entity: int  # the child: records with the same entity are duplicates
    twin_group: int  # twins (and every entry of either twin) share it; -1 otherwise
    noise: str  # the errors put into a duplicate ("" for originals)


@dataclass
class _Commune:
    code: str
    province: str
    villages: list[str]


@dataclass
class _Household:
    commune: _Commune
    village: str
    code: str
    father: str
    mother: str
    listed: str  # the guardian written on the children's records


# --- kinds of damage ------------------------------------------------------------------------------------------


def strip_diacritics(s: str) -> str:
    """Vietnamese typed without diacritics, case kept: ``"Đặng Thị Hòa" -> "Dang Thi Hoa"``."""
    t = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(ch for ch in t if not unicodedata.combining(ch)))


_OLD_TONE = re.compile(
    "([oO])([\u0300\u0301\u0309\u0303\u0323])([aAeE])\\b|(?<![qQ])([uU])([\u0300\u0301\u0309\u0303\u0323])([yY])\\b"
)


def old_tone_placement(s: str) -> str:
    """The older placement of tone marks: ``"Hòa" -> "Hoà"``, ``"Thúy" -> "Thuý"`` (what some fonts still do)."""
    t = unicodedata.normalize("NFD", s)
    t = _OLD_TONE.sub(lambda m: (m[1] or m[4]) + (m[3] or m[6]) + (m[2] or m[5]), t)
    return unicodedata.normalize("NFC", t)


@cache
def _tcvn3_table() -> dict[str, str]:
    import viparse

    table = {}
    for i in range(0xA1, 0x100):
        surface = chr(i)
        letter = viparse.fix(surface, encoding="tcvn3")
        if letter != surface:
            table[letter] = surface
    return table


def tcvn3_damage(s: str) -> str:
    """Text as a `.VnTime` font shows it when read as Unicode: ``"Nguyễn" -> "NguyÔn"``."""
    table = _tcvn3_table()
    return "".join(table.get(ch, table.get(ch.lower(), ch)) for ch in unicodedata.normalize("NFC", s))


def typo(rng: random.Random, s: str) -> str:
    """One slip of the keyboard in one word: a letter replaced, dropped, doubled in, or two letters swapped."""
    words = s.split()
    k = rng.randrange(len(words))
    w = words[k]
    i = rng.randrange(len(w))
    kind = rng.choice(("replace", "drop", "insert", "swap") if len(w) > 2 else ("replace", "insert"))
    if kind == "replace":
        w = w[:i] + rng.choice(TYPO_LETTERS) + w[i + 1 :]
    elif kind == "drop":
        w = w[:i] + w[i + 1 :]
    elif kind == "insert":
        w = w[:i] + rng.choice(TYPO_LETTERS) + w[i:]
    else:
        i = min(i, len(w) - 2)
        w = w[:i] + w[i + 1] + w[i] + w[i + 2 :]
    words[k] = w
    return " ".join(words)


def _id_digit(rng: random.Random, pid: str) -> str:
    i = rng.randrange(3, 12)  # the province code is the part people copy right
    return pid[:i] + rng.choice([d for d in "0123456789" if d != pid[i]]) + pid[i + 1 :]


def _id_swap(rng: random.Random, pid: str) -> str:
    options = [i for i in range(3, 11) if pid[i] != pid[i + 1]]
    if not options:
        return _id_digit(rng, pid)
    i = rng.choice(options)
    return pid[:i] + pid[i + 1] + pid[i] + pid[i + 2 :]


def _dob_swap(rng: random.Random, dob: str) -> str:
    d = dt.date.fromisoformat(dob)
    if d.day <= 12 and d.day != d.month:
        return dt.date(d.year, d.day, d.month).isoformat()
    return (d + dt.timedelta(days=rng.choice((-1, 1)))).isoformat()


class Generator:
    def __init__(self, n: int, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
        self.n = n
        self.communes = [self._commune(k) for k in range(max(2, round(n / RECORDS_PER_COMMUNE)))]
        self.used_ids: set[str] = set()
        self.households = 0
        self.entities = 0
        self.twin_groups = 0

    def _commune(self, k: int) -> _Commune:
        rng = self.rng
        names = {f"{rng.choice(('Bản', 'Thôn', 'Xóm'))} {rng.choice(VILLAGE_WORDS)} {rng.choice(VILLAGE_WORDS)}"
                 for _ in range(rng.randint(6, 12))}  # fmt: skip
        return _Commune(f"{10000 + 7 * k:05d}", PROVINCES[k % len(PROVINCES)], sorted(names))

    def _household(self) -> tuple[_Household, str]:
        rng = self.rng
        commune = rng.choice(self.communes)
        ethnicity = pick_ethnicity(rng, commune.province)
        father = make_name(rng, ethnicity, "M", born=rng.randint(1970, 1998)).full
        mother = make_name(rng, spouse_ethnicity(rng, ethnicity, commune.province), "F", born=1985).full
        self.households += 1
        h = _Household(commune, rng.choice(commune.villages), f"{commune.code}-{self.households:06d}", father, mother,
                       father if rng.random() < 0.8 else mother)  # fmt: skip
        if rng.random() < 0.05:
            h.listed = ""
        return h, ethnicity

    def _style(self, fields: dict[str, str]) -> dict[str, str]:
        style = self.rng.choices(list(ENTRY_STYLES), list(ENTRY_STYLES.values()))[0]
        changes: dict[str, Callable[[str], str]] = {"unicode": str, "no_diacritics": strip_diacritics,
                   "upper": str.upper, "old_tones": old_tone_placement, "tcvn3": tcvn3_damage}  # fmt: skip
        change = changes[style]
        return {**fields, "full_name": change(fields["full_name"]), "guardian_name": change(fields["guardian_name"])}

    def _personal_id(self, province: str, dob: dt.date, sex: str) -> str:
        while True:
            pid = make_personal_id(province, dob, sex, self.rng.randrange(1_000_000))
            if pid not in self.used_ids:
                self.used_ids.add(pid)
                return pid

    def _child(self, h: _Household, ethnicity: str, dob: dt.date, sex: str, **name: object) -> dict[str, str]:
        rng = self.rng
        surname = h.father.split()[0]
        person = make_name(rng, ethnicity, sex, born=dob.year, surname=surname, **name)  # type: ignore[arg-type]
        return {
            "full_name": person.full, "date_of_birth": dob.isoformat(), "sex": sex,
            "ethnicity": ethnicity if rng.random() > 0.05 else "",
            "personal_id": self._personal_id(h.commune.province, dob, sex) if rng.random() < ID_RATE else "",
            "guardian_name": h.listed, "village": h.village if rng.random() > 0.03 else "",
            "commune_code": h.commune.code, "household_code": h.code,
            "special_groups": rng.choice("abcdeghik") if rng.random() < 0.03 else "",
            "_middle": person.middle, "_given": person.given,
        }  # fmt: skip

    def families(self) -> Iterator[tuple[dict[str, str], _Household, int]]:
        """Original records: (fields, household, twin group)."""
        rng = self.rng
        while True:
            h, ethnicity = self._household()
            count = rng.choices([c for c, _ in CHILDREN_PER_HOUSEHOLD], [w for _, w in CHILDREN_PER_HOUSEHOLD])[0]
            year = rng.randint(*FIRST_BIRTH_YEARS)
            given: set[str] = set()
            for _ in range(count):
                if year > FIRST_BIRTH_YEARS[1]:
                    break
                dob = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
                sex = rng.choice("MF")
                first = self._child(h, ethnicity, dob, sex, avoid_given=given)
                given.add(first["_given"])
                if rng.random() < TWIN_BIRTH_RATE:
                    self.twin_groups += 1
                    yield first, h, self.twin_groups
                    twin_sex = sex if rng.random() < 0.6 else rng.choice("MF")
                    middle = first["_middle"] if twin_sex == sex and rng.random() < 0.6 else None
                    for _attempt in range(10):
                        second = self._child(h, ethnicity, dob, twin_sex, middle=middle, avoid_given=given)
                        if fold(second["_given"]) != fold(first["_given"]):
                            break
                    given.add(second["_given"])
                    yield second, h, self.twin_groups
                else:
                    yield first, h, -1
                year += rng.choice((1, 2, 2, 3, 3, 4, 5))

    def damage(self, rec: dict[str, str], h: _Household) -> tuple[dict[str, str], str]:
        rng = self.rng
        out = dict(rec)
        kinds = rng.sample(list(NOISE_WEIGHTS), k=1, counts=list(NOISE_WEIGHTS.values()))
        for _ in range(rng.choices((0, 1, 2), (55, 33, 12))[0]):
            kinds += rng.sample(list(NOISE_WEIGHTS), k=1, counts=list(NOISE_WEIGHTS.values()))
        for kind in dict.fromkeys(kinds):
            self._apply(kind, out, h)
        return out, "+".join(dict.fromkeys(kinds))

    def _apply(self, kind: str, out: dict[str, str], h: _Household) -> None:  # noqa: C901 - one branch per kind
        rng, name, pid, dob = self.rng, out["full_name"], out["personal_id"], out["date_of_birth"]
        if kind == "name_typo":
            out["full_name"] = typo(rng, name)
        elif kind == "no_diacritics":
            out["full_name"] = strip_diacritics(name)
        elif kind == "old_tones":
            out["full_name"] = old_tone_placement(name)
        elif kind == "tcvn3":
            out["full_name"] = tcvn3_damage(name)
            out["guardian_name"] = tcvn3_damage(out["guardian_name"])
        elif kind == "upper_spaces":
            out["full_name"] = "  ".join(name.upper().split()) + " "
        elif kind == "drop_middle" and len(name.split()) > 2:
            words = name.split()
            out["full_name"] = f"{words[0]} {words[-1]}"
        elif kind == "dob_swap" and dob:
            out["date_of_birth"] = _dob_swap(rng, dob)
        elif kind == "dob_one_day" and dob:
            out["date_of_birth"] = (dt.date.fromisoformat(dob) + dt.timedelta(days=rng.choice((-1, 1)))).isoformat()
        elif kind == "dob_year_only" and dob:
            out["date_of_birth"] = dob[:4] + "-01-01"
        elif kind == "dob_missing":
            out["date_of_birth"] = ""
        elif kind == "id_digit" and pid:
            out["personal_id"] = _id_digit(rng, pid)
        elif kind == "id_swap" and pid:
            out["personal_id"] = _id_swap(rng, pid)
        elif kind == "id_missing":
            out["personal_id"] = ""
        elif kind == "moved_village":
            out["village"] = rng.choice(h.commune.villages)
            out["household_code"] = f"{h.code}-m"
        elif kind == "moved_commune":
            commune = rng.choice(self.communes)
            out["commune_code"], out["village"] = commune.code, rng.choice(commune.villages)
            out["household_code"] = f"{commune.code}-{h.code}-m"
        elif kind == "guardian_other":
            out["guardian_name"] = h.mother if out["guardian_name"] == h.father else h.father
        elif kind == "guardian_typo" and out["guardian_name"]:
            out["guardian_name"] = typo(rng, out["guardian_name"])
        elif kind == "guardian_missing":
            out["guardian_name"] = ""
        elif kind == "sex_error":
            out["sex"] = "M" if out["sex"] == "F" else "F"
        elif kind == "ethnicity_missing":
            out["ethnicity"] = ""


def _record(record_id: str, fields: dict[str, str]) -> Record:
    return Record(record_id, **{k: v for k, v in fields.items() if not k.startswith("_")})


def generate(n: int, *, seed: int = 42, duplicate_rate: float = DUPLICATE_RATE) -> Iterator[tuple[Record, Truth]]:
    """About ``n`` records with their truth: originals first, then the second entries in random order."""
    g = Generator(n, seed)
    rng = g.rng
    originals = round(n * (1 - duplicate_rate))
    copy_rate = duplicate_rate / (1 - duplicate_rate) / (1 + THIRD_ENTRY_RATE)
    copies: list[tuple[dict[str, str], int, int, str]] = []
    for i, (fields, h, twin) in enumerate(g.families()):
        if i >= originals:
            break
        yield _record(str(i), g._style(fields)), Truth(str(i), i, twin, "")
        if rng.random() < copy_rate:
            for _ in range(2 if rng.random() < THIRD_ENTRY_RATE else 1):
                damaged, noise = g.damage(fields, h)
                copies.append((damaged, i, twin, noise))
    rng.shuffle(copies)
    for k, (fields, entity, twin, noise) in enumerate(copies):
        record_id = str(originals + k)
        yield _record(record_id, fields), Truth(record_id, entity, twin, noise)
