"""Records in canonical fields, and their preprocessing into compact columns for blocking and comparison.

No Django here: the file mode and the benchmark run without a database. Text goes through the same repairs as an
import (legacy TCVN3/VNI fonts, mojibake, NFC, official tone placement), then each name is split into family /
middle / given name and kept twice: with diacritics (lower case) and folded. Strings become small integer ids in a
vocabulary, so a million records are about seventy megabytes of numpy arrays, not a million Python objects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from treem.core.errors import CleanError
from treem.core.ids import normalize_personal_id
from treem.core.repair import repair_text
from treem.core.text import canonical_tones, fold, nfc

CANONICAL_FIELDS = (
    "full_name", "date_of_birth", "sex", "ethnicity", "personal_id", "guardian_name", "village", "commune_code",
    "household_code", "special_groups",
)  # fmt: skip
GUARDIAN_SEPARATORS = (";", "|", "\n")
MISSING = -1
SEX_CODES = {"M": 1, "F": 2}


@dataclass(frozen=True, slots=True)
class Record:
    """One child in the canonical field names (imports, exports, API). Any field may be blank."""

    record_id: str
    full_name: str = ""
    date_of_birth: str = ""  # YYYY-MM-DD
    sex: str = ""  # M | F
    ethnicity: str = ""
    personal_id: str = ""
    guardian_name: str = ""  # one name, or several separated by ";"
    village: str = ""
    commune_code: str = ""
    household_code: str = ""
    special_groups: str = ""  # read, not compared: a child's groups change over time


class Vocab:
    """Strings to dense integer ids and back."""

    __slots__ = ("ids", "words")

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.words: list[str] = []

    def id(self, word: str) -> int:
        if not word:
            return MISSING
        found = self.ids.get(word)
        if found is None:
            found = self.ids[word] = len(self.words)
            self.words.append(word)
        return found

    def __len__(self) -> int:
        return len(self.words)


def clean_text(raw: str) -> str:
    """Repaired, NFC, official tone placement, lower case: the form names are compared in with diacritics."""
    text, _repair = repair_text(raw)
    return canonical_tones(nfc(text)).lower()


def name_tokens(raw: str) -> list[str]:
    text = clean_text(raw)
    return "".join(ch if (ch.isalpha() or ch == "'") else " " for ch in text).split()


@dataclass(frozen=True, slots=True)
class NameParts:
    family: str
    middle: str
    given: str
    accented: bool  # the name was written with diacritics (so a difference in them means something)
    family_f: str = ""
    middle_f: str = ""
    given_f: str = ""


def split_name(raw: str) -> NameParts:
    """``"NGUYỄN  Thị Hoà" -> NameParts("nguyễn", "thị", "hòa", True, "nguyen", "thi", "hoa")``.

    One word is a given name alone; the middle name is every word between the first and the last.
    """
    tokens = name_tokens(raw)
    if not tokens:
        return NameParts("", "", "", False)
    text = " ".join(tokens)
    folded = fold(text)  # once per name: fold is the costly step
    ftokens = folded.split()
    if len(ftokens) != len(tokens):
        ftokens = [fold(t) or t for t in tokens]
    if len(tokens) == 1:
        return NameParts("", "", tokens[0], folded != text, "", "", ftokens[0])
    return NameParts(tokens[0], " ".join(tokens[1:-1]), tokens[-1], folded != text, ftokens[0],
                     " ".join(ftokens[1:-1]), ftokens[-1])  # fmt: skip


def parse_dob(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw.strip()[:10]) if raw else None
    except ValueError:
        return None


def swapped_day(day: dt.date) -> dt.date | None:
    """`day` with its day and month swapped, when that is another date (03/05 -> 05/03)."""
    return day.replace(month=day.day, day=day.month) if day.day <= 12 and day.day != day.month else None  # noqa: PLR2004


def near_days(day: dt.date) -> set[dt.date]:
    """The dates of birth a typing slip could have turned `day` into: itself, ± 1 day, day and month swapped."""
    one = dt.timedelta(days=1)
    return {day, day - one, day + one, *(d for d in (swapped_day(day),) if d)}


def guardian_keys(raw: str) -> set[str]:
    """The folded names of the guardians written in `raw` (separated by ``;``, ``|`` or new lines)."""
    text = raw
    for sep in GUARDIAN_SEPARATORS[1:]:
        text = text.replace(sep, GUARDIAN_SEPARATORS[0])
    return {" ".join(fold(" ".join(name_tokens(part))).split()) for part in text.split(";")} - {""}


def parse_pid(raw: str) -> int:
    raw = raw.strip()
    if len(raw) == 12 and raw.isdigit():  # the usual case, without the full normaliser
        return int(raw)
    try:
        pid = normalize_personal_id(raw)
    except CleanError:
        return MISSING
    return int(pid) if pid else MISSING


@dataclass
class Columns:
    """The prepared records, one numpy array per feature (index = position of the record in the input)."""

    record_ids: list[str]
    pid: np.ndarray  # int64, -1 missing
    dob: np.ndarray  # int32 proleptic ordinal, -1 missing
    year: np.ndarray
    month: np.ndarray
    day: np.ndarray
    sex: np.ndarray  # int8: 0 unknown, 1 M, 2 F
    family: np.ndarray  # int32 ids in `names` (lower case, with diacritics)
    middle: np.ndarray
    given: np.ndarray
    family_f: np.ndarray  # int32 ids in `folded`
    middle_f: np.ndarray
    given_f: np.ndarray
    full_f: np.ndarray
    accented: np.ndarray  # bool
    guardian1: np.ndarray  # int32 ids in `folded`: the first two guardians' names, sorted
    guardian2: np.ndarray
    commune: np.ndarray  # int32 ids in `places`
    village: np.ndarray
    household: np.ndarray
    ethnicity: np.ndarray
    names: Vocab = field(repr=False)
    folded: Vocab = field(repr=False)
    places: Vocab = field(repr=False)

    def __len__(self) -> int:
        return len(self.record_ids)

    def date_of(self, row: int) -> dt.date | None:
        ordinal = int(self.dob[row])
        return dt.date.fromordinal(ordinal) if ordinal > 0 else None

    def pid_of(self, row: int) -> str | None:
        pid = int(self.pid[row])
        return f"{pid:012d}" if pid >= 0 else None


# Column order of a prepared row, and the dtype each column is stored in.
_COLUMNS = (
    "pid", "dob", "year", "month", "day", "sex", "family", "middle", "given", "family_f", "middle_f", "given_f",
    "full_f", "accented", "guardian1", "guardian2", "commune", "village", "household", "ethnicity",
)  # fmt: skip
_DTYPES = {"pid": np.int64, "year": np.int16, "month": np.int8, "day": np.int8, "sex": np.int8, "accented": np.bool_}
_CHUNK = 50_000
INPUT_FIELDS = ("record_id", "full_name", "date_of_birth", "sex", "ethnicity", "personal_id", "guardian_name",
                "village", "commune_code", "household_code")  # fmt: skip
_NO_GUARDIAN = (MISSING, MISSING)


class ColumnBuilder:
    """Appends records one at a time (a file is streamed, never held as objects); caches repeated text.

    Rows are buffered as tuples and turned into numpy blocks every ``_CHUNK`` records, so memory stays at a few
    bytes per field per record.
    """

    def __init__(self) -> None:
        self.names, self.folded, self.places = Vocab(), Vocab(), Vocab()
        self.record_ids: list[str] = []
        self._pending: list[tuple[str, ...]] = []
        self._blocks: list[np.ndarray] = []
        self._name_cache: dict[str, tuple[int, ...]] = {}
        self._guardian_cache: dict[str, tuple[int, int]] = {"": _NO_GUARDIAN}
        self._dob_cache: dict[str, tuple[int, int, int, int]] = {}
        self._place_cache: dict[tuple[str, str], tuple[int, int]] = {}
        self._ethnicity_cache: dict[str, int] = {"": MISSING}

    def _name(self, raw: str) -> tuple[int, ...]:
        p = split_name(raw)
        fam_f, mid_f, giv_f = p.family_f, p.middle_f, p.given_f
        full_f = " ".join(t for t in (fam_f, mid_f, giv_f) if t)
        f = self.folded.id
        cached = (self.names.id(p.family), self.names.id(p.middle), self.names.id(p.given), f(fam_f), f(mid_f),
                  f(giv_f), f(full_f), int(p.accented))  # fmt: skip
        self._name_cache[raw] = cached
        return cached

    def _guardians(self, raw: str) -> tuple[int, int]:
        names = sorted(guardian_keys(raw))
        ids = [self.folded.id(n) for n in names[:2]] + [MISSING, MISSING]
        cached = self._guardian_cache[raw] = (ids[0], ids[1])
        return cached

    def _dob(self, raw: str) -> tuple[int, int, int, int]:
        d = parse_dob(raw)
        cached = self._dob_cache[raw] = (d.toordinal(), d.year, d.month, d.day) if d else (MISSING, 0, 0, 0)
        return cached

    def _place(self, commune: str, village: str) -> tuple[int, int]:
        key = (commune, village)
        c, v = commune.strip(), fold(village)
        cached = self._place_cache[key] = (
            self.places.id("c:" + c) if c else MISSING,
            self.places.id(f"v:{c}:{v}") if v else MISSING,
        )
        return cached

    def _ethnicity(self, raw: str) -> int:
        value = self._ethnicity_cache.get(raw)
        if value is None:
            text = fold(raw)
            value = self._ethnicity_cache[raw] = self.places.id("e:" + text) if text else MISSING
        return value

    def add_fields(self, *values: str) -> None:
        """One record as its values in ``INPUT_FIELDS`` order (the file mode's path: no object per record)."""
        self._pending.append(values)
        if len(self._pending) >= _CHUNK:
            self._flush()

    def add(self, r: Record) -> None:
        self.add_fields(r.record_id, r.full_name, r.date_of_birth, r.sex, r.ethnicity, r.personal_id,
                        r.guardian_name, r.village, r.commune_code, r.household_code)  # fmt: skip

    def extend(self, records: Iterable[Record]) -> None:
        for r in records:
            self.add(r)

    def _flush(self) -> None:
        """Turn the pending records into a numpy block, field by field (a cache hit per value, mostly)."""
        if not self._pending:
            return
        ids, names, dobs, sexes, ethnicities, pids, guardians, villages, communes, households = zip(
            *self._pending, strict=True
        )
        self._pending = []
        self.record_ids.extend(ids)
        nc, gc, dc, pc, ec = (self._name_cache, self._guardian_cache, self._dob_cache, self._place_cache,
                              self._ethnicity_cache)  # fmt: skip
        block = np.empty((len(ids), len(_COLUMNS)), dtype=np.int64)
        block[:, 0] = [parse_pid(x) if x else MISSING for x in pids]
        block[:, 1:5] = [dc.get(x) or self._dob(x) for x in dobs]
        block[:, 5] = [SEX_CODES.get(x) or SEX_CODES.get(x.strip().upper(), 0) for x in sexes]
        block[:, 6:14] = [nc.get(x) or self._name(x) for x in names]
        block[:, 14:16] = [gc.get(x) or self._guardians(x) for x in guardians]
        block[:, 16:18] = [pc.get(k) or self._place(*k) for k in zip(communes, villages, strict=True)]
        place = self.places.id
        block[:, 18] = [place("h:" + x.strip()) if x else MISSING for x in households]
        block[:, 19] = [ec[x] if x in ec else self._ethnicity(x) for x in ethnicities]
        self._blocks.append(block)

    def build(self) -> Columns:
        self._flush()
        table = np.concatenate(self._blocks) if self._blocks else np.empty((0, len(_COLUMNS)), dtype=np.int64)
        self._blocks = []
        arrays: dict[str, np.ndarray] = {
            name: table[:, i].astype(_DTYPES.get(name, np.int32)) for i, name in enumerate(_COLUMNS)
        }
        del table
        self._name_cache, self._guardian_cache, self._dob_cache, self._place_cache = {}, {"": _NO_GUARDIAN}, {}, {}
        return Columns(record_ids=self.record_ids, **arrays, names=self.names, folded=self.folded,
                       places=self.places)  # fmt: skip


def prepare(records: Iterable[Record]) -> Columns:
    builder = ColumnBuilder()
    builder.extend(records)
    return builder.build()
