"""A small registry whose every list was worked out by hand.

Khun Há (villages Hon, Lầm) and Bình Lư:

    A  F 2015-03-01  Hon      groups a (2020–) and d (2024–)
    B  M 2009-07-01  Hon      group b (2020–); turns 16 on 2025-07-01
    E  F 2012-02-02  Hon      group c from 2023-01-01 to 2025-03-31
    F  M 2018-08-08  Hon      group a (2020–); moved away on 2025-10-01
    D  M 2020-05-05  Lầm      poor household from 2024-01-01; no group
    G  F 2019-01-01  Lầm      risk: exploitation (2025-01-01–); no group
    I  F 2013-04-04  Lầm      group i (abuse-related: case data) from 2024-05-05
    N  M 2016-06-06  Hon      nothing
    H  M 2014-06-06  Bình Lư  group b (2020–)
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from treem.accounts import roles
from treem.registry import services as registry
from treem.registry.models import ChildStatus, CircumstanceType, PovertyStatus

D = dt.date


@pytest.fixture
def chairman(tree, make_user):  # noqa: ANN001, ANN201
    return make_user(roles.COMMUNE_CHAIRMAN, tree.commune)


@pytest.fixture
def kids(tree, officer, make_user):  # noqa: ANN001, ANN201
    editor = make_user(roles.COMMUNE_OFFICER, tree.province)

    def household(commune, village=None):  # noqa: ANN001, ANN202
        return registry.household_create(actor=editor, commune=commune, village=village, head_name="Chủ hộ")

    def child(h, name: str, sex: str, dob: dt.date):  # noqa: ANN001, ANN202
        return registry.child_register(
            actor=editor, household=h, data=registry.ChildInput(full_name=name, sex=sex, date_of_birth=dob)
        )

    def flag(c, kind: str, code: str, start: dt.date, end: dt.date | None = None) -> None:  # noqa: ANN001
        t = CircumstanceType.objects.get(kind=kind, code=code)
        registry.circumstance_add(actor=editor, child=c, type=t, valid_from=start, valid_to=end)

    hon, lam = household(tree.commune, tree.village), household(tree.commune, tree.sibling_village)
    poor = household(tree.commune, tree.sibling_village)
    registry.household_set_poverty(actor=editor, household=poor, status=PovertyStatus.POOR, since=D(2024, 1, 1))
    k = SimpleNamespace()
    k.a = child(hon, "Lò Thị A", "F", D(2015, 3, 1))
    k.b = child(hon, "Lò Văn B", "M", D(2009, 7, 1))
    k.e = child(hon, "Lò Thị E", "F", D(2012, 2, 2))
    k.f = child(household(tree.commune, tree.village), "Lò Văn F", "M", D(2018, 8, 8))
    k.d = child(poor, "Lò Văn D", "M", D(2020, 5, 5))
    k.g = child(lam, "Lò Thị G", "F", D(2019, 1, 1))
    k.i = child(lam, "Lò Thị I", "F", D(2013, 4, 4))
    k.n = child(hon, "Lò Văn N", "M", D(2016, 6, 6))
    k.h = child(household(tree.sibling), "Lò Văn H", "M", D(2014, 6, 6))
    flag(k.a, "special", "a", D(2020, 1, 1))
    flag(k.a, "special", "d", D(2024, 1, 1))
    flag(k.b, "special", "b", D(2020, 1, 1))
    flag(k.e, "special", "c", D(2023, 1, 1), D(2025, 3, 31))
    flag(k.f, "special", "a", D(2020, 1, 1))
    flag(k.g, "risk", "exploitation", D(2025, 1, 1))
    flag(k.i, "special", "i", D(2024, 5, 5))
    flag(k.h, "special", "b", D(2020, 1, 1))
    registry.child_set_status(actor=editor, child=k.f, status=ChildStatus.MOVED_AWAY, on=D(2025, 10, 1))
    return k
