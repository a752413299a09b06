"""The share of recognised communes is the indicator `child_friendly_communes`, computed by the indicators engine
from the assessments (registered from AssessmentsConfig.ready(); the indicators app does not import this one)."""

from __future__ import annotations

import datetime as dt

import pytest

from treem.assessments.models import Assessment, Category, Status
from treem.core.periods import Period
from treem.indicators import services as engine
from treem.indicators.computations import COMPUTATIONS
from treem.indicators.models import DataValue, Indicator, Source

pytestmark = pytest.mark.django_db


def _decided(unit, year: int, status: str, on: dt.date) -> Assessment:  # noqa: ANN001
    return Assessment.objects.create(
        unit=unit, unit_path=unit.path, year=year, category=Category.objects.get(code="other"), status=status,
        decision_number=f"{year}/QĐ", decision_date=on,
    )  # fmt: skip


def _share(unit, period: str) -> tuple[float, float | None, float | None]:  # noqa: ANN001
    v = DataValue.objects.get(indicator__code="child_friendly_communes", unit=unit, period=period, disagg="")
    return v.value, v.numerator, v.denominator


def test_the_indicator_is_computed_from_registered_computations() -> None:
    ind = Indicator.objects.get(code="child_friendly_communes")
    assert ind.source == Source.COMPUTED
    assert (ind.numerator, ind.denominator) == ("communes_child_friendly", "communes")
    assert {"communes_child_friendly", "communes"} <= set(COMPUTATIONS)
    ind.full_clean()


def test_recognised_communes_flow_into_the_share(tree) -> None:  # noqa: ANN001
    _decided(tree.commune, 2025, Status.RECOGNISED, dt.date(2025, 11, 20))
    _decided(tree.sibling, 2025, Status.NOT_RECOGNISED, dt.date(2025, 11, 20))
    _decided(tree.far_commune, 2025, Status.RECOGNISED, dt.date(2026, 1, 5))  # decided after the period
    Assessment.objects.create(  # self-assessed only: not counted
        unit=tree.far_commune, unit_path=tree.far_commune.path, year=2024,
        category=Category.objects.get(code="other"), status=Status.SELF_ASSESSED,
    )  # fmt: skip
    engine.compute(Period.parse("2025"), [tree.nation])
    assert _share(tree.commune, "2025") == (100.0, 1.0, 1.0)
    assert _share(tree.sibling, "2025") == (0.0, 0.0, 1.0)
    assert _share(tree.province, "2025") == (50.0, 1.0, 2.0)
    assert _share(tree.other_province, "2025") == (0.0, 0.0, 1.0)
    assert _share(tree.nation, "2025") == pytest.approx((100 / 3, 1.0, 3.0))
    engine.compute(Period.parse("2026"), [tree.nation])
    assert _share(tree.nation, "2026") == pytest.approx((200 / 3, 2.0, 3.0))  # the recognition holds on


def test_a_later_decision_replaces_the_earlier_one(tree) -> None:  # noqa: ANN001
    _decided(tree.commune, 2022, Status.RECOGNISED, dt.date(2022, 11, 30))
    _decided(tree.commune, 2024, Status.NOT_RECOGNISED, dt.date(2024, 11, 30))
    engine.compute(Period.parse("2023"), [tree.province])
    engine.compute(Period.parse("2024"), [tree.province])
    assert _share(tree.commune, "2023")[0] == 100.0
    assert _share(tree.commune, "2024")[0] == 0.0


def test_a_refresh_recomputes_the_commune_of_a_changed_assessment(tree) -> None:  # noqa: ANN001
    period = Period.parse("2025")
    engine.compute(period, [tree.nation])
    assert _share(tree.province, "2025")[0] == 0.0
    _decided(tree.sibling, 2025, Status.RECOGNISED, dt.date(2025, 12, 1))
    result = engine.refresh(period)
    assert result is not None
    assert _share(tree.sibling, "2025")[0] == 100.0
    assert _share(tree.province, "2025") == (50.0, 1.0, 2.0)


def test_an_existing_install_switches_the_shipped_entered_definition_once() -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module("treem.assessments.migrations.0002_child_friendly_communes_computed")
    Indicator.objects.filter(code="child_friendly_communes").update(source="entered", numerator="", denominator="")
    migration.to_computed(apps, None)
    ind = Indicator.objects.get(code="child_friendly_communes")
    assert (ind.source, ind.numerator, ind.denominator) == ("computed", "communes_child_friendly", "communes")
    # an administrator's own definition is left alone
    Indicator.objects.filter(code="child_friendly_communes").update(source="entered", numerator="", denominator="x")
    migration.to_computed(apps, None)
    assert Indicator.objects.get(code="child_friendly_communes").source == "entered"


def test_only_the_communes_counted_below_the_share_count_above_it(tree) -> None:  # noqa: ANN001
    """A recognised commune that is no longer an active unit leaves the denominator: it leaves the numerator too (a
    share never above 100 %)."""
    _decided(tree.commune, 2025, Status.RECOGNISED, dt.date(2025, 11, 20))
    _decided(tree.sibling, 2025, Status.RECOGNISED, dt.date(2025, 11, 20))
    tree.sibling.is_active = False
    tree.sibling.save(update_fields=["is_active"])
    engine.compute(Period.parse("2025"), [tree.nation])
    assert _share(tree.province, "2025") == (100.0, 1.0, 1.0)


def test_a_registered_computation_never_replaces_another_of_its_name() -> None:
    from treem.assessments.computations import RecognisedCommunes
    from treem.indicators.computations import register

    register(COMPUTATIONS["communes_child_friendly"])  # the same again (ready() run twice): fine
    with pytest.raises(ValueError, match="children"):
        register(RecognisedCommunes(name="children"))  # would silently replace the registry's population count
    assert type(COMPUTATIONS["children"]).__name__ == "Population"
