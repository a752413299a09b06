"""The engine on the hand-built registry of `conftest.registry_data`: every expected figure worked out by hand."""

from __future__ import annotations

import pytest

from treem.core.periods import Period
from treem.indicators import services
from treem.indicators.models import DataValue, Indicator, Origin

pytestmark = pytest.mark.django_db

Y2025, S1 = Period.parse("2025"), Period.parse("2025S1")


def figures(code: str, unit, period: Period) -> dict[str, float]:  # noqa: ANN001
    return dict(
        DataValue.objects.filter(indicator__code=code, unit=unit, period=str(period)).values_list("disagg", "value")
    )


def test_children_on_the_last_day_of_2025(registry_data, tree):
    services.compute(Y2025, [tree.province])
    # Khun Há: A (F, 10), E (F, 13), G (F, 6, since birth). Not B (16 on 01/07), C (born 2026), D (moved 01/09), F.
    assert figures("children", tree.commune, Y2025) == {
        "": 3, "sex=F": 3, "age_group=6-10": 2, "age_group=11-15": 1,
        "age_group=6-10;sex=F": 2, "age_group=11-15;sex=F": 1,
        "ethnicity=unknown": 3, "area=rural": 3,
    }  # fmt: skip
    assert "area=rural" not in figures("children", tree.village, Y2025)  # a village repeats its commune's
    assert figures("children", tree.village, Y2025)[""] == 2  # A, E
    assert figures("children", tree.sibling_village, Y2025)[""] == 1  # G
    # Bình Lư: D (M, 5, moved in on 01/09) and H (M, 11).
    bl = figures("children", tree.sibling, Y2025)
    assert (bl[""], bl["age_group=0-5;sex=M"], bl["age_group=11-15;sex=M"]) == (2, 1, 1)
    province = figures("children", tree.province, Y2025)
    assert (province[""], province["sex=M"], province["sex=F"], province["area=rural"]) == (5, 2, 3, 5)


def test_children_on_the_last_day_of_the_first_half(registry_data, tree):
    services.compute(S1, [tree.province])
    kh = figures("children", tree.commune, S1)
    # A, B (15 until 01/07), D (still in Hon), E, F (moved away later), G.
    assert kh[""] == 6
    assert (kh["sex=M"], kh["sex=F"]) == (3, 3)
    assert (kh["age_group=0-5"], kh["age_group=6-10"], kh["age_group=11-15"]) == (1, 3, 2)
    assert figures("children", tree.sibling, S1)[""] == 1


def test_special_circumstances_count_a_child_once_in_the_total_and_once_per_group(registry_data, tree):
    services.compute(Y2025, [tree.province])
    assert figures("children_special", tree.commune, Y2025) == {
        "": 1, "sex=F": 1, "group=a": 1, "group=d": 1, "group=a;sex=F": 1, "group=d;sex=F": 1,
        "age_group=6-10": 1, "area=rural": 1,
    }  # fmt: skip
    province = figures("children_special", tree.province, Y2025)
    assert (province[""], province["group=b"], province["sex=M"]) == (2, 1, 1)
    # E left group c on 31/03: not in special circumstances at the end of June; H entered b on 01/05.
    services.compute(S1, [tree.province])
    assert figures("children_special", tree.commune, S1)[""] == 1
    assert figures("children_special", tree.sibling, S1)["group=b"] == 1


def test_ratios_are_recomputed_from_summed_parts_never_averaged(registry_data, tree):
    services.compute(Y2025, [tree.province])
    share = DataValue.objects.get(
        indicator__code="children_special_share", unit=tree.province, period="2025", disagg=""
    )
    assert (share.numerator, share.denominator, share.value) == (2, 5, 40.0)  # not (1/3 + 1/2) / 2
    kh = DataValue.objects.get(indicator__code="children_special_share", unit=tree.commune, period="2025", disagg="")
    assert kh.value == pytest.approx(100 / 3)


def test_roll_up_from_communes_equals_direct_computation_on_the_province(registry_data, tree):
    services.compute(Y2025, [tree.province])
    direct = {
        (code, key): value
        for code, key, value in DataValue.objects.filter(unit=tree.province, period="2025").values_list(
            "indicator__code", "disagg", "value"
        )
    }
    DataValue.objects.all().delete()
    services.compute(Y2025, [tree.commune])
    services.compute(Y2025, [tree.sibling])
    rolled = DataValue.objects.filter(unit=tree.province, period="2025")
    assert set(rolled.values_list("origin", flat=True)) == {Origin.ROLLED_UP}
    assert {(c, k): v for c, k, v in rolled.values_list("indicator__code", "disagg", "value")} == direct


def test_a_change_in_one_commune_recomputes_that_commune_and_its_ancestors_only(registry_data, tree, editor):
    services.compute(Y2025, [tree.nation])
    from treem.registry import services as registry

    registry.child_set_status(
        actor=editor, child=registry_data.h, status="deceased", on=registry_data.h.date_of_birth.replace(year=2025)
    )
    result = services.refresh(Y2025)
    assert result is not None
    run = services.last_run(Y2025)
    assert run is not None and run.incremental and run.unit_id == tree.sibling.pk
    assert figures("children", tree.sibling, Y2025)[""] == 1
    assert figures("children", tree.province, Y2025)[""] == 4
    assert figures("children", tree.nation, Y2025)[""] == 4
    assert services.refresh(Y2025) is None  # nothing changed since


def test_case_figures_are_not_stored_below_the_commune_that_handles_the_case(registry_data, tree):
    services.compute(Y2025, [tree.province])
    assert figures("abused_children", tree.commune, Y2025) == {"": 0}
    assert figures("abused_children", tree.village, Y2025) == {}
    assert figures("abused_children_share", tree.village, Y2025) == {}
    assert figures("children", tree.village, Y2025)[""] == 2


def test_every_shipped_computed_indicator_computes(registry_data, tree):
    result = services.compute(Y2025, [tree.nation])
    assert result.indicators == Indicator.objects.filter(source="computed", is_active=True).count()
    assert (
        DataValue.objects.filter(unit=tree.nation, period="2025", indicator__code="children", disagg="").get().value
        == 5
    )


def test_the_communes_a_share_of_communes_is_of_are_the_engines_own(tree, former):  # noqa: ANN001
    """`communes`, the denominator of every share of communes (play spots, child-friendly, clubs…), is one of the
    engine's own computations, not one an app above registers: the active communes of the current structure and
    every commune of the former one."""
    from treem.indicators.computations import Scope, _all
    from treem.units.models import Level
    from treem.units.tests.factories import make_unit

    merged = make_unit(tree.province, Level.COMMUNE, "03499", "Xã Cũ", "Xã")
    merged.is_active = False
    merged.save()
    communes = _all()["communes"]
    counts = communes.count(Scope(period=Y2025, roots=(tree.nation.path, former.nation.path)), ())
    expected = [tree.commune, tree.sibling, tree.far_commune, former.F1, former.F2, former.F3, former.F4]
    assert counts == {(u.path, ()): 1 for u in expected}
    assert communes.leaf_level == Level.COMMUNE
