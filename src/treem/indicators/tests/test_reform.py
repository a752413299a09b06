"""Figures of 2024 under the former units, re-aggregated onto the current units through the succession map."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.utils import timezone

from treem.core.periods import Period
from treem.indicators import services
from treem.indicators.models import DataValue, Indicator, Origin
from treem.indicators.reform import ReformError, apportion, reaggregate
from treem.units.models import Level, Structure, Succession
from treem.units.tests.factories import make_unit

pytestmark = pytest.mark.django_db

Y2024 = Period.parse("2024")
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
    services._reroll_ancestors(Y2024, [children, special, share], [f.F1, f.F2, f.F3, f.F4], stamp)
    return f


def value(code: str, unit, key: str = "") -> DataValue:  # noqa: ANN001
    return DataValue.objects.get(indicator__code=code, unit=unit, period="2024", disagg=key)


def test_the_reform_re_aggregation_sums_to_the_same_province_total(tree, former):
    result = reaggregate(Y2024, former.province, tree.province)
    for code, key in (("children", ""), ("children", "sex=M"), ("children", "sex=F"), ("children_special", "")):
        assert value(code, tree.province, key).value == value(code, former.province, key).value
        assert value(code, tree.province, key).origin == Origin.REFORM
        assert (
            value(code, tree.commune, key).value + value(code, tree.sibling, key).value
            == value(code, former.province, key).value
        )
    assert value("children", tree.province).value == 45
    # F3 (5 children: 3 boys, 2 girls) split equally: 3 to Bình Lư (first by code, the tie), 2 to Khun Há
    assert value("children", tree.commune).value == 17 + 8 + 2
    assert value("children", tree.sibling).value == 15 + 3
    assert value("children", tree.commune, "sex=F").value == 7 + 4 + 1
    assert [(s.former, list(s.shares)) for s in result.splits] == [
        (former.F3, [(tree.sibling, Fraction(1, 2)), (tree.commune, Fraction(1, 2))])
    ]
    # the ratio is recomputed from the summed numerator and denominator
    share = value("children_special_share", tree.commune)
    assert (share.numerator, share.denominator) == (2 + 1 + 1, 27)  # F3's 3 in special circumstances: 1 here
    assert share.value == pytest.approx(100 * 4 / 27)
    province_share = value("children_special_share", tree.province)
    assert (province_share.numerator, province_share.denominator) == (6, 45)
    # the units above the current root are summed again
    assert value("children", tree.nation).value == 45


def test_a_recorded_share_apportions_a_split_commune(tree, former):
    Succession.objects.filter(former=former.F3, current=tree.sibling).update(share=Decimal("0.8"))
    reaggregate(Y2024, former.province, tree.province)
    assert value("children", tree.sibling).value == 15 + 4  # 80 % of 5
    assert value("children", tree.commune).value == 25 + 1  # the rest
    assert value("children", tree.province).value == 45


def test_largest_remainder_keeps_the_total():
    thirds = [Fraction(1, 3)] * 3
    assert apportion(10, thirds) == [4, 3, 3]
    assert apportion(2, thirds) == [1, 1, 0]
    assert apportion(7, [Fraction(1, 10), Fraction(9, 10)]) == [1, 6]  # 0.7 and 6.3
    assert sum(apportion(1001, [Fraction(1, 7)] * 7)) == 1001


def test_figures_the_current_units_hold_in_their_own_right_are_kept(tree, former):
    DataValue.objects.create(indicator=Indicator.objects.get(code="children"), unit=tree.commune, period="2024",
                             value=30, numerator=30, computed_at=timezone.now())  # fmt: skip
    result = reaggregate(Y2024, former.province, tree.province)
    assert result.kept == ["children"]
    assert value("children", tree.commune).value == 30 and value("children", tree.commune).origin == Origin.COMPUTED
    assert value("children_special", tree.province).origin == Origin.REFORM


def test_only_periods_before_the_reform(tree, former):
    with pytest.raises(ReformError):
        reaggregate(Period.parse("2025"), former.province, tree.province)
    reaggregate(Period.parse("2025S1"), former.province, tree.province)  # ends on 30/06/2025


def test_the_command_re_aggregates_a_period_for_a_unit(tree, former):
    out = io.StringIO()
    call_command("indicators", "reaggregate", "--period", "2024", "--unit", tree.province.code, stdout=out)
    assert out.getvalue().startswith("2024 12 Tỉnh Lai Châu:")
    assert "Xã F3" in out.getvalue()  # the split commune is named
    assert value("children", tree.province).value == 45
