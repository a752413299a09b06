"""Duplicate detection and record linkage for children: find the same child twice, never merge twins.

Pure Python (numpy + rapidfuzz), no Django, so it serves three callers: the file mode (``treem match file``),
the registry run (``treem match run``, which feeds it the children of a unit) and the benchmark.

    records → prepare (repair, fold, split names; columns)  → blocking (candidate pairs)
            → scoring (levels → probability, twin guard)    → pairs ≥ REVIEW, each "review" or "merge"

A pair is ``merge`` (the system may merge it alone) only above ``AUTO_MERGE`` **and** with the same valid
personal ID on both records (12 digits, a real province code, century/sex and year digits consistent with each
record's sex and date of birth). Twin-guarded pairs are capped below ``REVIEW``, so they are never even
suggested. Pairs are scored in chunks, so memory stays flat whatever the number of candidate pairs.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from treem.core.ids import check_personal_id
from treem.core.outfile import replaced_atomically

from .blocking import candidate_pairs
from .prepare import CANONICAL_FIELDS, INPUT_FIELDS, ColumnBuilder, Columns, Record, prepare
from .scoring import Comparer, Weights, describe, load_weights, probabilities

__all__ = [
    "AUTO_MERGE",
    "CANONICAL_FIELDS",
    "ColumnBuilder",
    "Columns",
    "MERGE",
    "OUTPUT_HEADER",
    "Progress",
    "REVIEW",
    "MatchResult",
    "Pair",
    "Record",
    "match",
    "match_columns",
    "match_file",
    "read_csv",
    "score_against",
    "score_pair",
]

REVIEW = 0.5  # at or above: the pair goes to the commune officer's review queue
AUTO_MERGE = 0.99  # at or above, with the same valid ID on both: the system may merge alone
CHUNK = 1_000_000  # candidate pairs scored at a time
MERGE, REVIEW_DECISION = "merge", "review"
OUTPUT_HEADER = ("id_a", "id_b", "probability", "decision")
RECORD_ID = "record_id"
FIRST_DATA_LINE = 2

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class Pair:
    id_a: str
    id_b: str
    probability: float
    decision: str  # "merge" | "review" ("" when scored below the review threshold)
    features: dict[str, str] = field(default_factory=dict)
    twin_guard: bool = False
    same_valid_id: bool = False


@dataclass
class MatchResult:
    pairs: list[Pair]
    records: int
    candidates: int
    per_pass: dict[str, int]
    seconds: float


def _id_is_valid(c: Columns, row: int) -> bool:
    pid = c.pid_of(row)
    sex = {1: "M", 2: "F"}.get(int(c.sex[row]))
    return pid is not None and not check_personal_id(pid, date_of_birth=c.date_of(row), sex=sex)


def same_valid_id(c: Columns, a: int, b: int) -> bool:
    return c.pid[a] >= 0 and c.pid[a] == c.pid[b] and _id_is_valid(c, a) and _id_is_valid(c, b)


def decision_for(probability: float, twin: bool, valid_id: bool) -> str:
    if twin or probability < REVIEW:
        return ""
    return MERGE if (probability >= AUTO_MERGE and valid_id) else REVIEW_DECISION


def _score_chunk(
    c: Columns, comparer: Comparer, weights: Weights, a: np.ndarray, b: np.ndarray, keep: float
) -> Iterator[Pair]:
    levels = comparer.levels(a, b)
    p, guarded = probabilities(levels, weights)
    for i in np.flatnonzero(p >= keep).tolist():
        ra, rb, prob, twin = int(a[i]), int(b[i]), float(p[i]), bool(guarded[i])
        valid = prob >= AUTO_MERGE and same_valid_id(c, ra, rb)
        yield Pair(
            c.record_ids[ra], c.record_ids[rb], prob, decision_for(prob, twin, valid),
            describe(levels, i), twin, valid,
        )  # fmt: skip


def match_columns(
    c: Columns,
    *,
    weights: Weights | None = None,
    progress: Progress | None = None,
    keep: float = REVIEW,
    involving: np.ndarray | None = None,
) -> MatchResult:
    """Every pair of prepared records scored at or above ``keep`` (default: the review threshold); with
    ``involving`` (a boolean mask of the records), only the pairs with such a record on at least one side."""
    started = time.perf_counter()
    weights = weights or load_weights()
    a, b, per_pass = candidate_pairs(c, progress=progress)
    if involving is not None:
        wanted = involving[a] | involving[b]
        a, b = a[wanted], b[wanted]
    comparer = Comparer(c)
    pairs: list[Pair] = []
    for start in range(0, len(a), CHUNK):
        pairs.extend(_score_chunk(c, comparer, weights, a[start : start + CHUNK], b[start : start + CHUNK], keep))
        if progress:
            progress("scoring", min(start + CHUNK, len(a)), len(a))
    pairs.sort(key=lambda p: (-p.probability, p.id_a, p.id_b))
    return MatchResult(pairs, len(c), len(a), per_pass, time.perf_counter() - started)


def match(records: Iterable[Record], *, progress: Progress | None = None, keep: float = REVIEW) -> MatchResult:
    return match_columns(prepare(records), progress=progress, keep=keep)


def score_pair(a: Record, b: Record) -> Pair:
    """One pair scored alone (whatever its probability), e.g. to explain a decision or in tests."""
    c = prepare([a, b])
    levels = Comparer(c).levels(np.array([0]), np.array([1]))
    p, guarded = probabilities(levels, load_weights())
    prob, twin = float(p[0]), bool(guarded[0])
    valid = same_valid_id(c, 0, 1)
    return Pair(a.record_id, b.record_id, prob, decision_for(prob, twin, valid), describe(levels, 0), twin, valid)


def score_against(record: Record, others: Sequence[Record]) -> list[Pair]:
    """`record` scored against each of `others` (in their order), whatever the probability: the check a form makes
    before saving one child, with the same comparisons, weights, twin guard and decision as a run."""
    if not others:
        return []
    c = prepare([record, *others])
    b = np.arange(1, len(others) + 1)
    a = np.zeros_like(b)
    levels = Comparer(c).levels(a, b)
    p, guarded = probabilities(levels, load_weights())
    out = []
    for i in range(len(others)):
        prob, twin = float(p[i]), bool(guarded[i])
        valid = same_valid_id(c, 0, i + 1)
        out.append(Pair(record.record_id, others[i].record_id, prob, decision_for(prob, twin, valid),
                        describe(levels, i), twin, valid))  # fmt: skip
    return out


# --- file mode -------------------------------------------------------------------------------------------------


class FileFormatError(ValueError):
    pass


def _rows(path: Path | str, fields: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    """The values of `fields` of each data row, straight from the CSV (no object per record); blank rows skipped."""
    with Path(path).open(encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = [h.strip().lower() for h in next(reader, [])]
        if RECORD_ID not in header:
            raise FileFormatError(f"The file has no {RECORD_ID} column (columns: {', '.join(header) or 'none'})")
        index = [header.index(name) if name in header else None for name in fields]
        width, id_at = len(header), fields.index(RECORD_ID)
        for line, row in enumerate(reader, start=FIRST_DATA_LINE):
            if len(row) < width:
                row = row + [""] * (width - len(row))
            values = tuple(row[i].strip() if i is not None else "" for i in index)
            if not any(values):
                continue
            if not values[id_at]:
                raise FileFormatError(f"Line {line} has no {RECORD_ID}")
            yield values


def read_csv(path: Path | str) -> Iterator[Record]:
    """Records of a UTF-8 CSV with a ``record_id`` column and any of the canonical field names."""
    fields = (RECORD_ID, *CANONICAL_FIELDS)
    for values in _rows(path, fields):
        yield Record(**dict(zip(fields, values, strict=True)))


def match_file(in_path: Path | str, out_path: Path | str, *, progress: Progress | None = None) -> MatchResult:
    """`treem match file`: read records, write ``id_a,id_b,probability,decision`` for every pair ≥ REVIEW."""
    builder, seen = ColumnBuilder(), set()
    for n, values in enumerate(_rows(in_path, INPUT_FIELDS), start=1):
        if values[0] in seen:
            raise FileFormatError(f"{RECORD_ID} {values[0]!r} appears twice")
        seen.add(values[0])
        builder.add_fields(*values)
        if progress and n % 100_000 == 0:
            progress("reading", n, 0)
    del seen
    result = match_columns(builder.build(), progress=progress)
    with replaced_atomically(out_path) as f:  # complete or not there: never a truncated list of pairs
        writer = csv.writer(f)
        writer.writerow(OUTPUT_HEADER)
        for p in result.pairs:
            writer.writerow((p.id_a, p.id_b, f"{p.probability:.4f}", p.decision))
    return result
