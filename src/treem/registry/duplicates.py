"""Likely duplicates of a child about to be saved by hand: a hook the registry asks, filled by a higher app.

The registry's child form (add and edit) asks `find_duplicates` before saving. The registry has no matcher of its
own (matching sits above it); `treem.matching` registers its checker in `MatchingConfig.ready()`, which scores the
proposal with the matcher's weights against the children the user may see, plus the same personal ID. When the
officer says "this is a different child", the service that saves calls `remember_different` in the same
transaction, and the checker records the pairs as decided, so the duplicate queue never proposes them again.
With no checker registered nothing is found and nothing is remembered: the form saves as before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from .models import Child, Household


@dataclass(frozen=True)
class ChildProposal:
    """What the form is about to save: a new child of `household`, or the edited child `child_pk`."""

    full_name: str
    sex: str
    date_of_birth: dt.date | None
    household: Household
    ethnicity: str = ""
    personal_id: str | None = None
    guardian_names: tuple[str, ...] = ()
    child_pk: int | None = None


@dataclass(frozen=True)
class LikelyDuplicate:
    child: Child
    probability: float
    same_id: bool  # the same personal ID: one ID is one child, so this is never "a different child"


class DuplicateChecker(Protocol):
    def find(self, user: Any, proposal: ChildProposal) -> list[LikelyDuplicate]: ...

    def remember_different(self, actor: Any, child: Child, others: Sequence[Child]) -> None: ...


_checkers: list[DuplicateChecker] = []


def register_duplicate_checker(checker: DuplicateChecker) -> None:
    """Called from an AppConfig.ready() (once, however often ready() runs)."""
    if checker not in _checkers:
        _checkers.append(checker)


def find_duplicates(user: Any, proposal: ChildProposal) -> list[LikelyDuplicate]:
    """Children the user may see that are likely the proposed one: the same ID first, then the most probable."""
    found: dict[int, LikelyDuplicate] = {}
    for checker in _checkers:
        for hit in checker.find(user, proposal):
            if hit.child.pk not in found or hit.probability > found[hit.child.pk].probability:
                found[hit.child.pk] = hit
    return sorted(found.values(), key=lambda d: (not d.same_id, -d.probability, d.child.pk))


def remember_different(actor: Any, child: Child, others: Sequence[Child]) -> None:
    """The officer saw `others` and said `child` is none of them (called inside the saving transaction)."""
    if not others:
        return
    for checker in _checkers:
        checker.remember_different(actor, child, others)
