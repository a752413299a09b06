"""Small-cell suppression with complementary suppression, for published tables of counts.

Primary: a count from 1 to 4 is hidden (shown "<5"). Complementary: a table's additive relations (a total equals the
sum of its parts: a unit's total and its sexes, a parent unit and its sub-units) would let a reader recompute a
hidden cell when it is the only hidden one of a relation, so a second cell of that relation is hidden too (the
smallest non-zero part, shown "x"), until no relation has exactly one hidden cell. A relation may name cells that are
not shown (e.g. children recorded at the commune itself, outside any village): they count as published when they can
be computed, and are suppressed like any other cell when small.

Knows nothing of indicators: cells are keys with counts, relations are (total key, part keys).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

THRESHOLD = 5


class Hidden(StrEnum):
    PRIMARY = "primary"  # small: 1 … THRESHOLD-1
    COMPLEMENTARY = "complementary"  # hidden so that a small one cannot be recomputed


@dataclass(frozen=True, slots=True)
class Relation:
    total: Hashable
    parts: tuple[Hashable, ...]

    def cells(self) -> tuple[Hashable, ...]:
        return (self.total, *self.parts)


def is_small(value: float | None, threshold: int = THRESHOLD) -> bool:
    return value is not None and 0 < value < threshold


def suppress(
    cells: Mapping[Hashable, float], relations: Iterable[Relation], *, threshold: int = THRESHOLD
) -> dict[Hashable, Hidden]:
    """Which cells to hide. `cells` holds every cell a relation names (missing ones count as 0)."""
    relations = [r for r in relations if r.parts]
    hidden: dict[Hashable, Hidden] = {k: Hidden.PRIMARY for k, v in cells.items() if is_small(v, threshold)}
    changed = True
    while changed:
        changed = False
        for rel in relations:
            members = rel.cells()
            if sum(1 for k in members if k in hidden) != 1:
                continue
            pick = _partner(rel, hidden, cells)
            if pick is not None:
                hidden[pick] = Hidden.COMPLEMENTARY
                changed = True
    return hidden


def _partner(rel: Relation, hidden: Mapping[Hashable, Hidden], cells: Mapping[Hashable, float]) -> Hashable | None:
    """The cell to hide beside the one hidden cell of a relation: the smallest non-zero part, else the total, else
    any zero part (a zero shown beside one hidden part would give that part away through the total)."""
    open_parts = [k for k in rel.parts if k not in hidden]
    non_zero = sorted((k for k in open_parts if cells.get(k, 0)), key=lambda k: (cells.get(k, 0), str(k)))
    if non_zero:
        return non_zero[0]
    if rel.total not in hidden:
        return rel.total
    return open_parts[0] if open_parts else None


def recover(
    published: Mapping[Hashable, float], hidden: Iterable[Hashable], relations: Sequence[Relation]
) -> dict[Hashable, float]:
    """What an attacker recomputes from the published cells by subtraction: every hidden cell that is the only
    unknown of a relation, repeatedly. Used by the tests to prove `suppress` leaves nothing to recover."""
    known = dict(published)
    unknown = set(hidden)
    found: dict[Hashable, float] = {}
    progress = True
    while progress:
        progress = False
        for rel in relations:
            missing = [k for k in rel.cells() if k in unknown]
            if len(missing) != 1:
                continue
            (k,) = missing
            parts_sum = sum(known.get(p, 0) for p in rel.parts if p != k)
            value = parts_sum if k == rel.total else known.get(rel.total, 0) - parts_sum
            known[k] = found[k] = value
            unknown.discard(k)
            progress = True
    return found
