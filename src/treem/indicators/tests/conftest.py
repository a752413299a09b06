"""A small hand-built registry whose every figure was worked out by hand (see `test_engine.py`)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from treem.accounts import roles
from treem.registry import services
from treem.registry.models import ChildStatus, CircumstanceType

D = dt.date


def _special(code: str) -> CircumstanceType:
    return CircumstanceType.objects.get(kind="special", code=code)


@pytest.fixture
def editor(tree, make_user):  # noqa: ANN001, ANN201
    """Edits the whole province (to move a household between communes)."""
    return make_user(roles.COMMUNE_OFFICER, tree.province)


@pytest.fixture
def registry_data(tree, editor):  # noqa: ANN001, ANN201
    """Khun Há (villages Hon, Lầm) and Bình Lư, eight children:

    A  F 2015-03-01  Hon   groups a (2020–) and d (2024–): two groups
    B  M 2009-07-01  Hon   turns 16 on 2025-07-01
    C  F 2026-01-15  Hon   born after 2025
    D  M 2020-05-05  Hon   household moves to Bình Lư on 2025-09-01
    E  F 2012-02-02  Hon   group c from 2023-01-01 to 2025-03-31
    F  M 2018-08-08  Hon   moved away on 2025-10-01
    G  F 2019-01-01  Lầm   first registered now: lived there since birth
    H  M 2014-06-06  Bình Lư  group b from 2025-05-01
    """

    def household(commune, village=None):  # noqa: ANN001, ANN202
        return services.household_create(actor=editor, commune=commune, village=village, head_name="Chủ hộ")

    def child(h, name: str, sex: str, dob: dt.date):  # noqa: ANN001, ANN202
        return services.child_register(
            actor=editor, household=h, data=services.ChildInput(full_name=name, sex=sex, date_of_birth=dob)
        )

    def group(c, code: str, start: dt.date, end: dt.date | None = None) -> None:  # noqa: ANN001
        circ = services.circumstance_add(actor=editor, child=c, type=_special(code), valid_from=start)
        if end:
            services.circumstance_end(actor=editor, circumstance=circ, valid_to=end)

    hon, lam, dh = household(tree.commune, tree.village), household(tree.commune, tree.sibling_village), None
    kids = SimpleNamespace()
    kids.a = child(hon, "Lò Thị A", "F", D(2015, 3, 1))
    kids.b = child(hon, "Lò Văn B", "M", D(2009, 7, 1))
    kids.c = child(hon, "Lò Thị C", "F", D(2026, 1, 15))
    dh = household(tree.commune, tree.village)
    kids.d = child(dh, "Lò Văn D", "M", D(2020, 5, 5))
    kids.e = child(hon, "Lò Thị E", "F", D(2012, 2, 2))
    kids.f = child(hon, "Lò Văn F", "M", D(2018, 8, 8))
    kids.g = child(lam, "Lò Thị G", "F", D(2019, 1, 1))
    kids.h = child(household(tree.sibling), "Lò Văn H", "M", D(2014, 6, 6))
    group(kids.a, "a", D(2020, 1, 1))
    group(kids.a, "d", D(2024, 1, 1))
    group(kids.e, "c", D(2023, 1, 1), D(2025, 3, 31))
    group(kids.h, "b", D(2025, 5, 1))
    services.household_move(actor=editor, household=dh, commune=tree.sibling, on=D(2025, 9, 1))
    services.child_set_status(actor=editor, child=kids.f, status=ChildStatus.MOVED_AWAY, on=D(2025, 10, 1))
    return kids
