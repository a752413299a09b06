"""Likely duplicates in Xã Khun Há's review queue, so that the duplicate pages show pairs on the demo's first run.

A few children of the demo registry are entered a second time, as happens when a family is listed again in another
village: a new household under the mother's name, the child's name typed without diacritics or with a slip in the
given name, the same date of birth (or a day off), no personal ID. They are written through the registry services,
then the matcher runs over the commune (`matching.runs.execute_run`, as `treem match run` does) and stores the pairs
for review: none is merged automatically, since no pair shares a valid ID. Added once, known by the households' note.
Synthetic data only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from treem.accounts.models import User
from treem.core.text import fold
from treem.matching.models import CandidateStatus, MatchCandidate, MatchRun, RunSource
from treem.matching.runs import execute_run
from treem.registry.models import Child, ChildStatus, Household, Relation
from treem.registry.services.children import ChildInput, GuardianInput, child_register
from treem.registry.services.households import household_create
from treem.units.models import Level, Unit

NOTE = "Hộ kê khai lại khi rà soát bổ sung (dữ liệu mẫu: bản ghi trùng để xem trang rà soát trùng lặp)"
PAIRS = 3


@dataclass(frozen=True, slots=True)
class DuplicateStats:
    entered: int = 0  # children entered a second time
    pending: int = 0  # pairs waiting for review in the commune after the run


def _retyped(name: str, k: int) -> str:
    """The name as typed a second time: without diacritics, or with the given name's last letter dropped."""
    if k % 2 == 0:
        return " ".join(part.capitalize() for part in fold(name).split())
    family, _, given = name.rpartition(" ")
    return f"{family} {given[:-1] if len(given) > 3 else given + 'h'}"


def _originals(commune: Unit) -> list[Child]:
    """Children with a living mother, a date of birth and no case, one per household, the same ones on every run."""
    picked: list[Child] = []
    households: set[int] = set()
    qs = (
        Child.objects.filter(
            commune=commune, merged_into__isnull=True, status=ChildStatus.ACTIVE, cases__isnull=True,
            guardianships__relation=Relation.MOTHER, guardianships__person__is_deceased=False,
        )
        .exclude(date_of_birth=None)
        .exclude(village=None)
        .select_related("village")
        .order_by("pk")
        .distinct()
    )  # fmt: skip
    for child in qs.iterator():
        if child.household_id in households:
            continue
        households.add(child.household_id)
        picked.append(child)
        if len(picked) == PAIRS:
            break
    return picked


def _pending(commune: Unit) -> int:
    pending = MatchCandidate.objects.filter(status=CandidateStatus.PENDING)
    return pending.filter(child_a__unit_path__path_prefix=commune.path).count()


def seed_duplicates(*, commune: Unit, actor: User) -> DuplicateStats:
    """Enter a few of `commune`'s children again in other villages and run the matcher over the commune (once)."""
    if Household.objects.filter(commune=commune, note=NOTE).exists():
        return DuplicateStats(pending=_pending(commune))
    villages = list(Unit.objects.filter(parent=commune, level=Level.VILLAGE).order_by("short_name"))
    entered = 0
    for k, child in enumerate(_originals(commune)):
        mother = child.guardianships.select_related("person").get(relation=Relation.MOTHER).person
        elsewhere = next((v for v in villages if v.pk != child.village_id), child.village)
        household = household_create(
            actor=actor, commune=commune, village=elsewhere, head_name=mother.full_name, note=NOTE
        )
        dob = child.date_of_birth
        assert dob is not None  # noqa: S101 - filtered above
        child_register(
            actor=actor, household=household,
            data=ChildInput(
                full_name=_retyped(child.full_name, k), sex=child.sex, ethnicity=child.ethnicity,
                date_of_birth=dob + dt.timedelta(days=1) if k == 2 else dob,
            ),
            guardians=[GuardianInput(full_name=mother.full_name, relation=Relation.MOTHER, sex="F",
                                     is_primary_caregiver=True)],
        )  # fmt: skip
        entered += 1
    if entered:
        run = MatchRun.objects.create(unit=commune, unit_path=commune.path, source=RunSource.COMMAND)
        execute_run(run)
    return DuplicateStats(entered=entered, pending=_pending(commune))
