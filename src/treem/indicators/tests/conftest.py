"""A small hand-built registry whose every figure was worked out by hand (see `test_engine.py`)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from treem.accounts import roles
from treem.core.periods import Period
from treem.indicators import services as engine
from treem.indicators.models import DataValue, Indicator
from treem.registry import services
from treem.registry.models import ChildStatus, CircumstanceType
from treem.units.models import Level, Structure, Succession
from treem.units.tests.factories import make_unit

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


FORMER = Structure.FORMER

# former commune -> (children by sex, children in special circumstances)
FIGURES = {
    "F1": ({"sex=M": 10, "sex=F": 7}, 2),
    "F2": ({"sex=M": 4, "sex=F": 4}, 1),
    "F3": ({"sex=M": 3, "sex=F": 2}, 3),  # split between Khun Há and Bình Lư
    "F4": ({"sex=M": 6, "sex=F": 9}, 0),
}


@pytest.fixture
def former(tree):  # noqa: ANN001, ANN201
    """Former Lai Châu: Mường Tè district (F1, F2, F3) and Sìn Hồ district (F4). F1, F2 and part of F3 became
    Khun Há; F4 and the other part of F3 became Bình Lư."""
    nation = make_unit(None, Level.NATION, "VN", "Việt Nam", "Quốc gia", structure=FORMER)
    province = make_unit(nation, Level.PROVINCE, "12", "Tỉnh Lai Châu", "Tỉnh", structure=FORMER)
    muong_te = make_unit(province, Level.DISTRICT, "105", "Huyện Mường Tè", "Huyện", structure=FORMER)
    sin_ho = make_unit(province, Level.DISTRICT, "106", "Huyện Sìn Hồ", "Huyện", structure=FORMER)
    f = SimpleNamespace(nation=nation, province=province, muong_te=muong_te, sin_ho=sin_ho)
    for code, district in (("F1", muong_te), ("F2", muong_te), ("F3", muong_te), ("F4", sin_ho)):
        setattr(f, code, make_unit(district, Level.COMMUNE, f"0{code}", f"Xã {code}", "Xã", structure=FORMER))
    on = dt.date(2025, 7, 1)
    for code, current, partial in (
        ("F1", tree.commune, False), ("F2", tree.commune, False), ("F3", tree.commune, True),
        ("F3", tree.sibling, True), ("F4", tree.sibling, False),
    ):  # fmt: skip
        Succession.objects.create(former=getattr(f, code), current=current, is_partial=partial, effective_date=on)
    # the former communes' figures (as the 2024 reports gave them), summed up the former tree by the engine
    children, special = Indicator.objects.get(code="children"), Indicator.objects.get(code="children_special")
    share = Indicator.objects.get(code="children_special_share")
    stamp = timezone.now()
    for code, (by_sex, n_special) in FIGURES.items():
        unit, total = getattr(f, code), sum(by_sex.values())
        for key, n in {"": total, **by_sex}.items():
            DataValue.objects.create(indicator=children, unit=unit, period="2024", disagg=key, value=n, numerator=n,
                                     computed_at=stamp)  # fmt: skip
        DataValue.objects.create(indicator=special, unit=unit, period="2024", value=n_special, numerator=n_special,
                                 computed_at=stamp)  # fmt: skip
        DataValue.objects.create(indicator=share, unit=unit, period="2024", value=100 * n_special / total,
                                 numerator=n_special, denominator=total, computed_at=stamp)  # fmt: skip
    engine.reroll_ancestors(Period.parse("2024"), [children, special, share], [f.F1, f.F2, f.F3, f.F4], stamp)
    return f
