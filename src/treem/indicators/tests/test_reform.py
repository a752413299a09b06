"""Figures of 2024 under the former units, re-aggregated onto the current units through the succession map."""

from __future__ import annotations

import io
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.management import call_command
from django.utils import timezone

from treem.core.periods import Period
from treem.indicators.models import DataValue, Indicator, Origin
from treem.indicators.reform import ReformError, apportion, reaggregate
from treem.units.models import Structure, Succession

pytestmark = pytest.mark.django_db

Y2024 = Period.parse("2024")
FORMER = Structure.FORMER


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
