"""Comparison of candidate pairs, field by field, into agreement levels; levels into a match probability.

Each comparison gives every pair one level (level 0, ``missing``, is the reference and weighs nothing). The
probability is a logistic model over the levels, ``p = 1 / (1 + exp(-(intercept + Σ weight[comparison][level])))``:
the Fellegi–Sunter form, with weights fitted on labelled synthetic data by ``treem.demo.train`` and stored,
documented, in ``weights.json``. String similarity is rapidfuzz (Jaro–Winkler, optimal string alignment
distance), computed once per distinct pair of names, not once per pair of records.

Levels (see ``COMPARISONS``): an ID is ``exact``, ``one_digit`` off, ``transposed`` (two neighbouring digits
swapped) or ``different``; a date of birth ``exact``, ``day_month_swapped``, ``one_day`` apart, in the
``same_month`` or ``same_year``, or ``different``. Family, middle and given names are compared separately:
``exact`` (equal with diacritics, both records written with them), ``folded`` (equal once diacritics are dropped),
``typo`` (one letter replaced, dropped, added, or two swapped), ``similar`` (Jaro–Winkler ≥ 0.88), ``different``,
and a middle name may be missing on one side only. A guardian is the ``same`` (a name in common), one ``typo``
apart, or ``different``; place, household, sex and ethnicity are equal or not. The weights are fitted on candidate
pairs, so a level that blocking nearly always requires (an equal family name) says less than one would expect.

The twin guard runs after the model: same (or nearly the same) date of birth, same household or guardian, and
a clearly different given name is two children, whatever the other fields say, so the probability is capped
below the review threshold.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA, JaroWinkler

from .prepare import MISSING, Columns

WEIGHTS_FILE = Path(__file__).with_name("weights.json")

COMPARISONS: dict[str, tuple[str, ...]] = {
    "personal_id": ("missing", "exact", "one_digit", "transposed", "different"),
    "date_of_birth": ("missing", "exact", "day_month_swapped", "one_day", "same_month", "same_year", "different"),
    "family_name": ("missing", "exact", "folded", "typo", "similar", "different"),
    "middle_name": ("missing", "exact", "folded", "typo", "one_missing", "different"),
    "given_name": ("missing", "exact", "folded", "typo", "similar", "different"),
    "sex": ("missing", "same", "different"),
    "place": ("missing", "same_village", "same_commune", "different_commune"),
    "household": ("missing", "same", "different"),
    "guardian": ("missing", "same", "typo", "different"),
    "ethnicity": ("missing", "same", "different"),
}
LEVEL = {name: {level: i for i, level in enumerate(levels)} for name, levels in COMPARISONS.items()}
SIMILAR_JW = 0.88  # Jaro–Winkler on folded names; below it two names are different names
TWIN_CAP = 0.2  # the probability a twin-guarded pair keeps at most (below any review threshold)
TWIN_DOB = ("exact", "day_month_swapped", "one_day")
TWIN_GIVEN = ("similar", "different")

Levels = dict[str, np.ndarray]


@dataclass(frozen=True)
class Weights:
    intercept: float
    tables: dict[str, np.ndarray]  # comparison -> weight per level (level 0 is 0)

    @classmethod
    def from_dict(cls, data: dict) -> Weights:
        tables = {}
        for name, levels in COMPARISONS.items():
            given = data["weights"].get(name, {})
            tables[name] = np.array([float(given.get(level, 0.0)) for level in levels])
        return cls(float(data["intercept"]), tables)


@cache
def load_weights(path: Path = WEIGHTS_FILE) -> Weights:
    return Weights.from_dict(json.loads(path.read_text(encoding="utf-8")))


def name_level(a: str, b: str, fa: str, fb: str, both_accented: bool) -> str:
    """Level of two name parts: ``a``/``b`` with diacritics, ``fa``/``fb`` folded (the rule `Comparer` vectorises)."""
    if fa == fb:
        return "exact" if (a == b and both_accented) else "folded"
    typo = OSA.distance(fa, fb, score_cutoff=2) <= 1 and (not both_accented or OSA.distance(a, b, score_cutoff=2) <= 1)
    if typo and min(len(fa), len(fb)) >= 2:
        return "typo"
    return "similar" if JaroWinkler.similarity(fa, fb) >= SIMILAR_JW else "different"


def _distinct(x: np.ndarray, y: np.ndarray, flag: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """For pairs of ids (and a 0/1 flag): the position of the first of each distinct pair, and for every pair the
    number of its distinct pair, so a string metric runs once per distinct pair of strings."""
    code = (x.astype(np.int64) << 32) | y.astype(np.int64)
    if flag is not None:
        code = (code << 1) | flag
    order = np.argsort(code, kind="stable")
    ordered = code[order]
    new = np.r_[True, ordered[1:] != ordered[:-1]]
    inverse = np.empty(len(code), dtype=np.int64)
    inverse[order] = np.cumsum(new) - 1
    return order[new], inverse


def _osa(words: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return process.cpdist(words[x], words[y], scorer=OSA.distance, score_cutoff=2, workers=1)


class Comparer:
    """Compares pairs of one prepared record set; string metrics run once per distinct pair of strings."""

    def __init__(self, c: Columns) -> None:
        self.c = c
        self.names = np.array(c.names.words, dtype=object)
        self.folded = np.array(c.folded.words, dtype=object)
        self.folded_len = np.array([len(w) for w in c.folded.words], dtype=np.int32)
        self._digits_cache: np.ndarray | None = None

    def _token_levels(self, part: str, a: np.ndarray, b: np.ndarray, accented: np.ndarray) -> np.ndarray:
        c, lv = self.c, LEVEL[f"{part}_name"]
        ta, tb = getattr(c, part)[a], getattr(c, part)[b]
        fa, fb = getattr(c, f"{part}_f")[a], getattr(c, f"{part}_f")[b]
        out = np.zeros(len(a), dtype=np.int8)
        both = (ta != MISSING) & (tb != MISSING)
        out[both] = lv["folded"]
        out[both & (ta == tb) & accented] = lv["exact"]
        rest = np.flatnonzero(both & (fa != fb))
        if len(rest):
            first, inverse = _distinct(ta[rest], tb[rest], accented[rest])  # the folded ids follow from these
            pick = rest[first]
            xa, xb, xfa, xfb, acc = ta[pick], tb[pick], fa[pick], fb[pick], accented[pick]
            typo = (_osa(self.folded, xfa, xfb) <= 1) & (np.minimum(self.folded_len[xfa], self.folded_len[xfb]) >= 2)
            typo &= (acc == 0) | (_osa(self.names, xa, xb) <= 1)
            similar = process.cpdist(self.folded[xfa], self.folded[xfb], scorer=JaroWinkler.similarity, workers=1)
            other = (
                lv["different"] if part == "middle" else np.where(similar >= SIMILAR_JW, lv["similar"], lv["different"])
            )
            out[rest] = np.where(typo, lv["typo"], other)[inverse]
        if part == "middle":
            out[(ta == MISSING) != (tb == MISSING)] = lv["one_missing"]
        return out

    def _guardians(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Same when a name is shared, typo when two names are one slip apart; up to two guardians a side."""
        c, lv = self.c, LEVEL["guardian"]
        sides = [(c.guardian1[a], c.guardian1[b]), (c.guardian1[a], c.guardian2[b]),
                 (c.guardian2[a], c.guardian1[b]), (c.guardian2[a], c.guardian2[b])]  # fmt: skip
        out = np.full(len(a), lv["different"], dtype=np.int8)
        same = np.zeros(len(a), dtype=bool)
        for x, y in sides:
            same |= (x == y) & (x != MISSING)
        for x, y in sides:
            rows = np.flatnonzero(~same & (x != MISSING) & (y != MISSING) & (out != lv["typo"]))
            if len(rows):
                first, inverse = _distinct(x[rows], y[rows])
                ux, uy = x[rows[first]], y[rows[first]]
                long = np.minimum(self.folded_len[ux], self.folded_len[uy]) >= 5
                close = ((_osa(self.folded, ux, uy) <= 1) & long)[inverse]
                out[rows[close]] = lv["typo"]
        out[same] = lv["same"]
        out[(c.guardian1[a] == MISSING) | (c.guardian1[b] == MISSING)] = lv["missing"]
        return out

    def _pid(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        from .blocking import _pid_digits

        c, lv = self.c, LEVEL["personal_id"]
        pa, pb = c.pid[a], c.pid[b]
        out = np.full(len(a), lv["different"], dtype=np.int8)
        out[pa == pb] = lv["exact"]
        out[(pa == MISSING) | (pb == MISSING)] = lv["missing"]
        if self._digits_cache is None:
            self._digits_cache = _pid_digits(c.pid)
        rows = np.flatnonzero(out == lv["different"])
        da, db = self._digits_cache[a[rows]], self._digits_cache[b[rows]]
        unequal = da != db
        count = unequal.sum(axis=1)
        out[rows[count == 1]] = lv["one_digit"]
        two = np.flatnonzero(count == 2)
        first = unequal[two].argmax(axis=1)
        nxt = np.minimum(first + 1, 11)
        swapped = unequal[two, nxt] & (da[two, first] == db[two, nxt]) & (da[two, nxt] == db[two, first])
        out[rows[two[swapped & (first < 11)]]] = lv["transposed"]
        return out

    def _dob(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        c, lv = self.c, LEVEL["date_of_birth"]
        oa, ob = c.dob[a], c.dob[b]
        ya, yb, ma, mb, da, db = c.year[a], c.year[b], c.month[a], c.month[b], c.day[a], c.day[b]
        out = np.full(len(a), lv["different"], dtype=np.int8)
        out[ya == yb] = lv["same_year"]
        out[(ya == yb) & (ma == mb)] = lv["same_month"]
        out[np.abs(oa - ob) == 1] = lv["one_day"]
        out[(ya == yb) & (ma == db) & (da == mb) & (ma != da)] = lv["day_month_swapped"]
        out[oa == ob] = lv["exact"]
        out[(oa == MISSING) | (ob == MISSING)] = lv["missing"]
        return out

    @staticmethod
    def _equal(xa: np.ndarray, xb: np.ndarray, levels: dict[str, int]) -> np.ndarray:
        out = np.where(xa == xb, levels["same"], levels["different"]).astype(np.int8)
        out[(xa == MISSING) | (xb == MISSING)] = levels["missing"]
        return out

    def levels(self, a: np.ndarray, b: np.ndarray) -> Levels:
        """Agreement level of every comparison for the pairs (a[i], b[i]) of record positions."""
        c = self.c
        accented = c.accented[a] & c.accented[b]
        sex_a, sex_b = np.where(c.sex[a] > 0, c.sex[a], MISSING), np.where(c.sex[b] > 0, c.sex[b], MISSING)
        lp = LEVEL["place"]
        place = np.full(len(a), lp["different_commune"], dtype=np.int8)
        same_commune = c.commune[a] == c.commune[b]
        place[same_commune] = lp["same_commune"]
        place[same_commune & (c.village[a] == c.village[b]) & (c.village[a] != MISSING)] = lp["same_village"]
        place[(c.commune[a] == MISSING) | (c.commune[b] == MISSING)] = lp["missing"]
        return {
            "personal_id": self._pid(a, b),
            "date_of_birth": self._dob(a, b),
            "family_name": self._token_levels("family", a, b, accented),
            "middle_name": self._token_levels("middle", a, b, accented),
            "given_name": self._token_levels("given", a, b, accented),
            "sex": self._equal(sex_a, sex_b, LEVEL["sex"]),
            "place": place,
            "household": self._equal(c.household[a], c.household[b], LEVEL["household"]),
            "guardian": self._guardians(a, b),
            "ethnicity": self._equal(c.ethnicity[a], c.ethnicity[b], LEVEL["ethnicity"]),
        }


def logits(levels: Levels, weights: Weights) -> np.ndarray:
    total = np.full(len(next(iter(levels.values()))), weights.intercept)
    for name, table in weights.tables.items():
        total += table[levels[name]]
    return total


def twin_guard(levels: Levels) -> np.ndarray:
    """Pairs that look like twins (or siblings born close together): never a match."""
    dob, given = LEVEL["date_of_birth"], LEVEL["given_name"]
    close_birth = np.isin(levels["date_of_birth"], [dob[x] for x in TWIN_DOB])
    same_family = (levels["household"] == LEVEL["household"]["same"]) | np.isin(
        levels["guardian"], [LEVEL["guardian"]["same"], LEVEL["guardian"]["typo"]]
    )
    other_name = np.isin(levels["given_name"], [given[x] for x in TWIN_GIVEN])
    return close_birth & same_family & other_name


def probabilities(levels: Levels, weights: Weights) -> tuple[np.ndarray, np.ndarray]:
    """Match probability of each pair (twin guard applied) and the guard mask."""
    p = 1.0 / (1.0 + np.exp(-np.clip(logits(levels, weights), -40, 40)))
    guarded = twin_guard(levels)
    return np.where(guarded, np.minimum(p, TWIN_CAP), p), guarded


def describe(levels: Levels, i: int) -> dict[str, str]:
    """The level names of pair i, for a person reading why two records were paired."""
    return {name: COMPARISONS[name][int(arr[i])] for name, arr in levels.items()}
