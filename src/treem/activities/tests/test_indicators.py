"""The activity figures are indicators computed by the indicators engine (registered from ActivitiesConfig.ready())."""

from __future__ import annotations

import datetime as dt

import pytest

from treem.core.periods import Period
from treem.indicators import services as engine
from treem.indicators.computations import COMPUTATIONS
from treem.indicators.models import DataValue, Indicator, Source

pytestmark = pytest.mark.django_db


def _value(code: str, unit, period: str, disagg: str = "") -> tuple[float, float | None, float | None]:  # noqa: ANN001
    v = DataValue.objects.get(indicator__code=code, unit=unit, period=period, disagg=disagg)
    return v.value, v.numerator, v.denominator


def test_the_indicators_name_registered_computations() -> None:
    shipped = Indicator.objects.filter(group__code="activities")
    assert shipped.count() == 7
    for ind in shipped:
        assert ind.source == Source.COMPUTED
        assert {ind.numerator, ind.denominator} - {""} <= set(COMPUTATIONS)
        ind.full_clean()


def test_activities_flow_into_the_indicators(setup, officer, sibling_officer, tree) -> None:  # noqa: ANN001
    setup.make(officer, tree.village, "club_session", "CLB bản Hon", children_male=6, children_female=9)
    setup.make(officer, tree.commune, "club_session", "CLB xã", children_female=3)
    setup.make(sibling_officer, tree.sibling, "club_session", "CLB năm trước", starts_on=dt.date(2024, 5, 1))
    engine.compute(Period.parse("2025S1"), [tree.nation])
    assert _value("activities_communication", tree.commune, "2025S1")[0] == 1
    assert _value("activities_inspection", tree.province, "2025S1")[0] == 1
    assert _value("activities_training", tree.province, "2025S1")[0] == 1  # the province's own
    assert _value("activities_training", tree.commune, "2025S1")[0] == 0
    assert _value("activity_trained_people", tree.province, "2025S1", "sex=F")[0] == 30
    assert _value("activity_children_reached", tree.commune, "2025S1")[0] == 85 + 15 + 3
    assert _value("activity_children_reached", tree.commune, "2025S1", "sex=M")[0] == 40 + 6
    assert _value("activities_steering_meeting", tree.sibling, "2025S1")[0] == 1
    assert _value("communes_with_club_activity", tree.commune, "2025S1") == (100.0, 1.0, 1.0)
    assert _value("communes_with_club_activity", tree.province, "2025S1") == (50.0, 1.0, 2.0)  # not the sibling's
