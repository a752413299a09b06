"""The coverage shares are indicators computed by the indicators engine from the roster (registered from
IndicatorsConfig.ready(); the roster ranks below the indicators and does not import them)."""

from __future__ import annotations

import datetime as dt

import pytest

from treem.core.periods import Period
from treem.indicators import services as engine
from treem.indicators.computations import COMPUTATIONS
from treem.indicators.models import DataValue, Indicator, Source
from treem.staff.models import Position, Worker

pytestmark = pytest.mark.django_db


def _post(unit, position: str, since: dt.date, until: dt.date | None = None) -> Worker:  # noqa: ANN001
    return Worker.objects.create(
        unit=unit, unit_path=unit.path, position=position, full_name="Người Thử", since=since, until=until
    )


def _share(code: str, unit, period: str) -> tuple[float, float | None, float | None]:  # noqa: ANN001
    v = DataValue.objects.get(indicator__code=code, unit=unit, period=period, disagg="")
    return v.value, v.numerator, v.denominator


def test_the_indicators_are_computed_from_registered_computations() -> None:
    for code, num, den in (
        ("communes_with_officer", "communes_with_officer", "staff_communes"),
        ("villages_with_collaborator", "villages_with_collaborator", "staff_villages"),
    ):
        ind = Indicator.objects.get(code=code)
        assert (ind.source, ind.numerator, ind.denominator) == (Source.COMPUTED, num, den)
        assert {num, den} <= set(COMPUTATIONS)
        ind.full_clean()


def test_officers_and_collaborators_in_post_on_the_last_day_flow_into_the_shares(tree) -> None:  # noqa: ANN001
    _post(tree.commune, Position.OFFICER, dt.date(2024, 3, 1))
    _post(tree.commune, Position.OFFICER, dt.date(2024, 3, 1))  # two officers: the commune counts once
    _post(tree.sibling, Position.OFFICER, dt.date(2024, 1, 1), until=dt.date(2025, 6, 30))  # left on the last day
    _post(tree.far_commune, Position.OFFICER, dt.date(2025, 7, 1))  # started after the period
    _post(tree.village, Position.COLLABORATOR, dt.date(2020, 1, 1))
    engine.compute(Period.parse("2025S1"), [tree.nation])
    assert _share("communes_with_officer", tree.commune, "2025S1") == (100.0, 1.0, 1.0)
    assert _share("communes_with_officer", tree.province, "2025S1") == (50.0, 1.0, 2.0)
    assert _share("communes_with_officer", tree.nation, "2025S1") == pytest.approx((100 / 3, 1.0, 3.0))
    assert _share("villages_with_collaborator", tree.commune, "2025S1") == (50.0, 1.0, 2.0)
    assert _share("villages_with_collaborator", tree.nation, "2025S1") == (50.0, 1.0, 2.0)
    engine.compute(Period.parse("2025S2"), [tree.nation])
    assert _share("communes_with_officer", tree.nation, "2025S2") == pytest.approx((200 / 3, 2.0, 3.0))
