"""`communes_play_spot` is computed by the indicators engine from the directory: the communes with an open play spot
or cultural facility for children (in the commune or one of its villages) on the period's last day, over all
communes. Registered from IndicatorsConfig.ready() (the directory does not import the indicators)."""

from __future__ import annotations

import datetime as dt

import pytest

from treem.core.periods import Period
from treem.directory.models import ProviderStatus
from treem.directory.tests.factories import make_provider
from treem.indicators import services as engine
from treem.indicators.computations import COMPUTATIONS
from treem.indicators.models import DataValue, Indicator, Source

pytestmark = pytest.mark.django_db

CODE = "communes_play_spot"


def _share(unit, period: str) -> tuple[float, float | None, float | None]:  # noqa: ANN001
    v = DataValue.objects.get(indicator__code=CODE, unit=unit, period=period, disagg="")
    return v.value, v.numerator, v.denominator


def _compute(period: str, root) -> None:  # noqa: ANN001
    engine.compute(Period.parse(period), [root], indicators=engine.computed_indicators([CODE]))


def test_the_indicator_is_a_computed_definition() -> None:
    ind = Indicator.objects.get(code=CODE)
    assert ind.source == Source.COMPUTED
    assert (ind.numerator, ind.denominator) == ("communes_play_spot", "communes")
    assert {"communes_play_spot", "communes"} <= set(COMPUTATIONS)
    ind.full_clean()


def test_communes_with_an_open_play_spot_make_the_share(tree) -> None:  # noqa: ANN001
    make_provider(tree.village, "play_spot", opened_on=dt.date(2024, 5, 1))  # a village of the commune: counts
    make_provider(tree.sibling_village, "cultural_house", opened_on=dt.date(2020, 1, 1))  # same commune: once
    make_provider(tree.sibling, "play_spot", opened_on=dt.date(2026, 2, 1))  # opened after 2025
    make_provider(tree.sibling, "library", status=ProviderStatus.CLOSED, opened_on=dt.date(2020, 1, 1))  # closed
    make_provider(tree.sibling, "health_facility", opened_on=dt.date(2020, 1, 1))  # not a place to play
    make_provider(tree.far_commune, "sports_ground", opened_on=dt.date(2019, 1, 1))
    _compute("2025", tree.nation)
    assert _share(tree.commune, "2025") == (100.0, 1.0, 1.0)
    assert _share(tree.sibling, "2025") == (0.0, 0.0, 1.0)
    assert _share(tree.province, "2025") == (50.0, 1.0, 2.0)
    assert _share(tree.nation, "2025") == pytest.approx((200 / 3, 2.0, 3.0))
    _compute("2024", tree.province)
    assert _share(tree.province, "2024") == (50.0, 1.0, 2.0)  # the cultural house since 2020
    _compute("2019", tree.province)
    assert _share(tree.province, "2019") == (0.0, 0.0, 2.0)


def test_a_refresh_follows_a_play_spot_opened_or_closed(tree) -> None:  # noqa: ANN001
    period = Period.parse("2025")
    _compute("2025", tree.nation)
    assert _share(tree.province, "2025")[0] == 0.0
    spot = make_provider(tree.sibling, "play_spot", opened_on=dt.date(2025, 3, 1))
    assert engine.refresh(period) is not None
    assert _share(tree.sibling, "2025")[0] == 100.0
    assert _share(tree.province, "2025") == (50.0, 1.0, 2.0)
    spot.status = ProviderStatus.SUSPENDED
    spot.save()
    assert engine.refresh(period) is not None
    assert _share(tree.sibling, "2025")[0] == 0.0


def test_an_existing_install_switches_the_shipped_entered_definition_once() -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module("treem.indicators.migrations.0006_directory_communes_play_spot_computed")
    Indicator.objects.filter(code=CODE).update(source="entered", numerator="", denominator="")

    class Editor:
        class connection:  # noqa: N801 - the shape of a schema editor's connection
            alias = "default"

    migration.forwards(apps, Editor())
    ind = Indicator.objects.get(code=CODE)
    assert (ind.source, ind.numerator, ind.denominator) == ("computed", "communes_play_spot", "communes")
    Indicator.objects.filter(code=CODE).update(source="entered", numerator="own", denominator="")
    migration.forwards(apps, Editor())
    assert Indicator.objects.get(code=CODE).numerator == "own"  # an administrator's own definition stays
