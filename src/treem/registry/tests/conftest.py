from __future__ import annotations

import datetime as dt

import pytest

from treem.registry import services
from treem.registry.models import CircumstanceType


@pytest.fixture
def household(tree, officer):  # noqa: ANN001, ANN201
    return services.household_create(
        actor=officer, commune=tree.commune, village=tree.village, head_name="Sùng A Páo", code="HH-001"
    )


@pytest.fixture
def child(household, officer):  # noqa: ANN001, ANN201
    return services.child_register(
        actor=officer,
        household=household,
        data=services.ChildInput(
            full_name="Sùng Thị Sua",
            sex="F",
            date_of_birth=dt.date(2013, 5, 2),
            ethnicity="Mông",
            personal_id="012313000123",
        ),  # fmt: skip
        guardians=[services.GuardianInput("Sùng A Páo", "father"), services.GuardianInput("Vàng Thị Mỷ", "mother")],
    )


@pytest.fixture
def sibling_child(tree, sibling_officer):  # noqa: ANN001, ANN201
    h = services.household_create(actor=sibling_officer, commune=tree.sibling, head_name="Lò Văn Tâm")
    return services.child_register(
        actor=sibling_officer, household=h,
        data=services.ChildInput(full_name="Lò Thị Sua", sex="F", date_of_birth=dt.date(2014, 1, 9)),
    )  # fmt: skip


def special(code: str) -> CircumstanceType:
    return CircumstanceType.objects.get(kind="special", code=code)
