"""Registered children in Khun Há (many) and Bình Lư (few, so small cells are hidden), figures computed."""

from __future__ import annotations

import datetime as dt

import pytest

from treem.accounts import roles
from treem.core.periods import Period
from treem.indicators import services as engine
from treem.registry import services
from treem.registry.models import CircumstanceType

D = dt.date
PERIOD = Period.parse("2025S2")


@pytest.fixture
def editor(tree, make_user):  # noqa: ANN001, ANN201
    return make_user(roles.COMMUNE_OFFICER, tree.province)


@pytest.fixture
def central(tree, make_user):  # noqa: ANN001, ANN201
    """Reads national figures, never exact small ones, no cases."""
    return make_user(roles.CENTRAL_VIEWER, tree.nation)


@pytest.fixture
def figures(tree, editor):  # noqa: ANN001, ANN201
    """Khun Há: 14 children (8 in Hon, 6 in Lầm), 3 of them in group a, 1 in group d; Bình Lư: 3 children."""

    def household(commune, village=None):  # noqa: ANN001, ANN202
        return services.household_create(actor=editor, commune=commune, village=village, head_name="Chủ hộ")

    def child(h, name: str, sex: str, dob: dt.date):  # noqa: ANN001, ANN202
        return services.child_register(
            actor=editor, household=h, data=services.ChildInput(full_name=name, sex=sex, date_of_birth=dob)
        )

    kids = []
    hon, lam, binh_lu = household(tree.commune, tree.village), household(tree.commune, tree.sibling_village), None
    for i in range(8):
        kids.append(child(hon, f"Lò Thị Hon {i}", "F" if i % 2 else "M", D(2012 + i, 3, 1)))
    for i in range(6):
        kids.append(child(lam, f"Lò Văn Lầm {i}", "M" if i % 3 else "F", D(2014 + i, 5, 1)))
    binh_lu = household(tree.sibling)
    for i in range(3):
        kids.append(child(binh_lu, f"Lò Thị Bình {i}", "F", D(2016 + i, 1, 1)))
    group_a = CircumstanceType.objects.get(kind="special", code="a")
    group_d = CircumstanceType.objects.get(kind="special", code="d")
    for k in kids[:3]:
        services.circumstance_add(actor=editor, child=k, type=group_a, valid_from=D(2025, 2, 1))
    services.circumstance_add(actor=editor, child=kids[3], type=group_d, valid_from=D(2025, 9, 1))
    for period in ("2025S1", "2025S2", "2025"):
        engine.compute(Period.parse(period), [tree.province])
    return kids
