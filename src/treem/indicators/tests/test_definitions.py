from __future__ import annotations

import pytest

from treem.indicators.computations import COMPUTATIONS
from treem.indicators.definitions import sync
from treem.indicators.models import Dimension, Indicator, Source, Target

pytestmark = pytest.mark.django_db


def test_the_shipped_set_is_loaded_and_every_computed_indicator_is_wired():
    assert Indicator.objects.filter(code="children").exists()
    assert Indicator.objects.get(code="abused_children").legal_code == "0101"
    for ind in Indicator.objects.filter(source=Source.COMPUTED):
        ind.full_clean()  # numerator, denominator and disaggregations name things that exist
        assert ind.numerator in COMPUTATIONS
    assert Target.objects.filter(unit=None, indicator__code="birth_registration_under5", year=2025).get().value == 98.5
    assert Dimension.objects.get(code="group").options.filter(code="a").exists()


def test_sync_keeps_an_administrators_edit_unless_asked_to_update():
    Indicator.objects.filter(code="children").update(name_vi="Trẻ em (sửa)")
    sync()
    assert Indicator.objects.get(code="children").name_vi == "Trẻ em (sửa)"
    sync(update=True)
    assert Indicator.objects.get(code="children").name_vi != "Trẻ em (sửa)"
