from __future__ import annotations

import datetime as dt

import pytest

from treem.matching import runs
from treem.matching.models import MatchCandidate, MatchRun
from treem.registry import services as registry
from treem.registry.tests.conftest import child, household, sibling_child

__all__ = ["child", "household", "sibling_child"]


@pytest.fixture
def twice(household, officer, child):  # noqa: ANN001, ANN201
    """The fixture child entered a second time in the same household: no ID, no diacritics, a guardian typo."""
    return registry.child_register(
        actor=officer, household=household,
        data=registry.ChildInput(full_name="Sung Thi Sua", sex="F", date_of_birth=dt.date(2013, 5, 2), ethnicity=""),
        guardians=[registry.GuardianInput("Sung A Pao", "father")],
    )  # fmt: skip


@pytest.fixture
def twin(household, officer, child):  # noqa: ANN001, ANN201
    """The fixture child's twin sister: same parents and date of birth, her own name and ID."""
    from treem.registry.models import Person

    father = Person.objects.get(full_name="Sùng A Páo")
    return registry.child_register(
        actor=officer, household=household,
        data=registry.ChildInput(full_name="Sùng Thị Mỷ", sex="F", date_of_birth=dt.date(2013, 5, 2), ethnicity="Mông",
                                 personal_id="012313000456"),
        guardians=[registry.GuardianInput("Sùng A Páo", "father", person=father)],
    )  # fmt: skip


@pytest.fixture
def candidate(tree, child, twice) -> MatchCandidate:  # noqa: ANN001
    """The pair a run over the commune finds: the fixture child and its second entry."""
    runs.execute_run(MatchRun.objects.create(unit=tree.commune, unit_path=tree.commune.path))
    return MatchCandidate.objects.get()
