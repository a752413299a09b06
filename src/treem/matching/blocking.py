"""Blocking: which pairs of records are worth comparing at all.

Comparing every pair of a million records is 5·10¹¹ comparisons; each pass below groups records by a key and
pairs only records that share one. A true duplicate needs to share a key in one pass only, so the passes cover
each other's blind spots:

======================  =========================================================================================
pass                    catches
======================  =========================================================================================
``id``                  the same personal ID number
``id_digit_<p>``        an ID re-typed with digit *p* wrong (key: the ID with digit *p* blanked; 12 passes)
``id_swap_<p>``         an ID with digits *p*, *p*+1 swapped (key: those two digits sorted; 11 passes)
``dob_commune``         same commune, same date of birth or day and month swapped
``dob_pm1_commune``     same commune, date of birth one day apart (two passes: ordinal // 2, (ordinal + 1) // 2)
``name_year``           the same folded full name and birth year, anywhere (a child who moved)
``given_dob``           the same folded given name and date of birth (or day/month swapped), anywhere
``guardian_dob``        a guardian's folded name and the date of birth ± 1 day, anywhere
``commune_name``        same commune, folded family and given name (a wrong or missing date of birth)
======================  =========================================================================================

A block larger than ``MAX_BLOCK`` records says little (a very common name in a whole province); it is compared
by sorted neighbourhood: its records sorted by date of birth, each paired with the next ``WINDOW``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np

from .prepare import MISSING, Columns

MAX_BLOCK = 40
WIDE_BLOCK = 12  # for the passes over the whole registry, where a common name makes big blocks of strangers
WIDE_PASSES = frozenset({"name_year", "given_dob"})
WINDOW = 8
_MIX = np.uint64(0x9E3779B97F4A7C15)  # 64-bit golden-ratio multiplier: a cheap, well-spread key combiner
_ID_DIGITS = 12
PASS_COUNT = 1 + _ID_DIGITS + (_ID_DIGITS - 1) + 3 + 2 + 4 + 1


def unique_sorted(codes: np.ndarray) -> np.ndarray:
    """``np.unique`` for int codes by sort and mask (NumPy 2.5's ``np.unique`` is many times slower on int64)."""
    codes = np.sort(codes)
    return codes[np.r_[True, codes[1:] != codes[:-1]]] if len(codes) else codes


def combine(*parts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One uint64 key per row from integer columns, and the mask of rows where no part is missing."""
    valid = np.ones(len(parts[0]), dtype=bool)
    key = np.zeros(len(parts[0]), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i, part in enumerate(parts):
            valid &= part != MISSING
            key = (key ^ (part.astype(np.int64).astype(np.uint64) + np.uint64(i + 1))) * _MIX
    return key, valid


def pairs_in_blocks(
    key: np.ndarray, valid: np.ndarray, by_dob: np.ndarray, n: int, max_block: int = MAX_BLOCK
) -> np.ndarray:
    """Pair codes ``lo * n + hi`` (lo < hi, record positions) of all records sharing a key.

    `by_dob` lists the record positions sorted by date of birth; a stable sort on the key keeps that order inside
    each block, which is the order the sorted neighbourhood of an oversized block needs.
    """
    rows = by_dob[valid[by_dob]].astype(np.int64)
    if len(rows) < 2:
        return np.empty(0, dtype=np.int64)
    order = np.argsort(key[rows], kind="stable")
    k, r = key[rows][order], rows[order]
    starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
    sizes = np.diff(np.r_[starts, len(k)])
    out: list[np.ndarray] = []
    for size in np.unique(sizes[sizes > 1]):
        first = starts[sizes == size]
        if size <= max_block:
            members = r[first[:, None] + np.arange(size)]
            iu, ju = np.triu_indices(int(size), 1)
            a, b = members[:, iu].ravel(), members[:, ju].ravel()
        else:  # sorted neighbourhood inside an oversized block
            offsets = [(i, j) for i in range(int(size)) for j in range(i + 1, min(int(size), i + WINDOW + 1))]
            iu, ju = (np.array(x) for x in zip(*offsets, strict=True))
            members = r[first[:, None] + np.arange(size)]
            a, b = members[:, iu].ravel(), members[:, ju].ravel()
        out.append(np.minimum(a, b) * n + np.maximum(a, b))
    return np.concatenate(out) if out else np.empty(0, dtype=np.int64)


def _pid_digits(pid: np.ndarray) -> np.ndarray:
    """(n, 12) int8 digits of the ID numbers (zeros where missing)."""
    p = np.where(pid >= 0, pid, 0)
    powers = 10 ** np.arange(_ID_DIGITS - 1, -1, -1, dtype=np.int64)
    return ((p[:, None] // powers) % 10).astype(np.int8)


def _passes(c: Columns) -> Iterator[tuple[str, np.ndarray, np.ndarray]]:
    has_pid = c.pid >= 0
    yield "id", *combine(c.pid)
    digits = _pid_digits(c.pid)
    powers = 10 ** np.arange(_ID_DIGITS - 1, -1, -1, dtype=np.int64)
    for p in range(_ID_DIGITS):
        blanked = c.pid - digits[:, p].astype(np.int64) * powers[p]
        key, valid = combine(blanked, np.full(len(c), p))
        yield f"id_digit_{p}", key, valid & has_pid
    for p in range(_ID_DIGITS - 1):
        lo = np.minimum(digits[:, p], digits[:, p + 1]).astype(np.int64)
        hi = np.maximum(digits[:, p], digits[:, p + 1]).astype(np.int64)
        rest = c.pid - digits[:, p].astype(np.int64) * powers[p] - digits[:, p + 1].astype(np.int64) * powers[p + 1]
        key, valid = combine(rest + lo * powers[p] + hi * powers[p + 1], np.full(len(c), 100 + p))
        yield f"id_swap_{p}", key, valid & has_pid & (digits[:, p] != digits[:, p + 1])
    del digits
    has_dob = c.dob != MISSING
    swap_free = np.where(
        has_dob,
        c.year.astype(np.int64) * 10_000
        + np.minimum(c.month, c.day).astype(np.int64) * 100
        + np.maximum(c.month, c.day).astype(np.int64),
        MISSING,
    )
    half_a = np.where(has_dob, c.dob // 2, MISSING)
    half_b = np.where(has_dob, (c.dob + 1) // 2, MISSING)
    year = np.where(has_dob, c.year.astype(np.int64), MISSING)
    yield "dob_commune", *combine(swap_free, c.commune)
    yield "dob_pm1_commune_a", *combine(half_a, c.commune, np.full(len(c), 1))
    yield "dob_pm1_commune_b", *combine(half_b, c.commune, np.full(len(c), 2))
    yield "name_year", *combine(c.full_f, year)
    yield "given_dob", *combine(c.given_f, swap_free, np.full(len(c), 3))
    for i, guardian in enumerate((c.guardian1, c.guardian2)):
        yield f"guardian_dob_a{i}", *combine(guardian, half_a, np.full(len(c), 4))
        yield f"guardian_dob_b{i}", *combine(guardian, half_b, np.full(len(c), 5))
    yield "commune_name", *combine(c.commune, c.family_f, c.given_f)


def candidate_pairs(
    c: Columns, *, progress: Callable[[str, int, int], None] | None = None
) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
    """Positions (a, b), a < b, of every candidate pair (each once), and how many pairs each pass proposed."""
    n = len(c)
    found: list[np.ndarray] = []
    per_pass: dict[str, int] = {}
    by_dob = np.argsort(np.where(c.dob != MISSING, c.dob, 0), kind="stable")
    for i, (name, key, valid) in enumerate(_passes(c)):
        codes = pairs_in_blocks(key, valid, by_dob, n, WIDE_BLOCK if name in WIDE_PASSES else MAX_BLOCK)
        per_pass[name] = len(codes)
        if len(codes):
            found.append(unique_sorted(codes))
        if progress:
            progress("blocking", i + 1, PASS_COUNT)
    codes = unique_sorted(np.concatenate(found)) if found else np.empty(0, dtype=np.int64)
    return codes // n, codes % n, per_pass
