"""Deliveries feed the indicator of children in special circumstances assisted: computed, then read back."""

from __future__ import annotations

import datetime as dt

import pytest

from treem.core.periods import Period
from treem.indicators import services as engine
from treem.indicators.computations import COMPUTATIONS
from treem.indicators.models import DataValue, Indicator
from treem.support import services
from treem.support.models import Programme

D = dt.date


def values(unit, period: str) -> dict[str, float]:  # noqa: ANN001
    qs = DataValue.objects.filter(indicator__code="children_special_assisted", unit=unit, period=period)
    return dict(qs.values_list("disagg", "value"))


@pytest.fixture
def delivered(tree, kids, officer, chairman):  # noqa: ANN001, ANN201
    """The gift round of 31/05/2025 in Khun Há: A, B, F, I approved; N added by hand (in no group); all receive on
    01/06/2025 except F."""
    gift = Programme.objects.get(code="gift-special")
    r = services.round_create(actor=officer, programme=gift, unit=tree.commune, on=D(2025, 5, 31))
    services.round_generate(actor=officer, round_=r)
    services.beneficiary_add(actor=officer, round_=r, child=kids.n, reason="Gia đình gặp khó khăn")
    services.round_approve(actor=chairman, round_=r)
    data = services.DeliveryInput(item="Quà", value=300_000, delivered_on=D(2025, 6, 1), delivered_by="Cán bộ")
    for child in (kids.a, kids.b, kids.i, kids.n):
        services.delivery_record(actor=officer, beneficiary=r.beneficiaries.get(child=child), data=data)
    return r


def test_the_indicator_is_computed_from_deliveries(delivered, tree):
    indicator = Indicator.objects.get(code="children_special_assisted")
    assert (indicator.source, indicator.numerator) == ("computed", "children_special_assisted")
    engine.compute(Period.parse("2025S1"), [tree.province])
    # A, B and I were in a group and under 16 on 01/06 (I by a case-derived group: a count names no one);
    # N is in no group; F received nothing
    got = values(tree.commune, "2025S1")
    assert (got[""], got["sex=F"], got["sex=M"]) == (3, 2, 1)
    assert values(tree.province, "2025S1")[""] == 3
    assert values(tree.village, "2025S1")[""] == 2  # A and B live in Hon, I in Lầm
    engine.compute(Period.parse("2025S2"), [tree.province])
    assert values(tree.commune, "2025S2").get("", 0) == 0


def test_a_child_is_counted_once_and_changes_are_noticed(delivered, tree, kids, officer, chairman):
    since = delivered.created_at
    second = services.round_create(
        actor=officer, programme=delivered.programme, unit=tree.commune, on=D(2025, 6, 15), name="Đợt 2"
    )
    services.round_generate(actor=officer, round_=second)
    services.round_approve(actor=chairman, round_=second)
    data = services.DeliveryInput(item="Sách", value=0, delivered_on=D(2025, 6, 20), delivered_by="Cán bộ")
    services.delivery_record(actor=officer, beneficiary=second.beneficiaries.get(child=kids.a), data=data)
    engine.compute(Period.parse("2025"), [tree.province])
    assert values(tree.commune, "2025")[""] == 3  # A twice in the year: once
    changed = COMPUTATIONS["children_special_assisted"].changed_paths(since)
    assert tree.village.path in changed


def test_an_existing_install_switches_the_shipped_entered_row_only(db):
    """`definitions.sync` never overwrites a row: the migration switches the indicator where it is still the shipped
    entered one, and leaves a row an administrator changed."""
    import importlib
    from types import SimpleNamespace

    from django.apps import apps

    migration = importlib.import_module("treem.indicators.migrations.0002_support_special_assisted_computed")
    editor = SimpleNamespace(connection=SimpleNamespace(alias="default"))
    qs = Indicator.objects.filter(code="children_special_assisted")
    qs.update(source="entered", numerator="", definition_vi="cũ")
    migration.forwards(apps, editor)
    assert qs.values_list("source", "numerator").get() == ("computed", "children_special_assisted")
    assert qs.get().definition_vi.startswith("Số trẻ em đã nhận hỗ trợ")
    qs.update(source="entered", numerator="local_sum")  # an administrator's own definition stays
    migration.forwards(apps, editor)
    assert qs.values_list("source", "numerator").get() == ("entered", "local_sum")
