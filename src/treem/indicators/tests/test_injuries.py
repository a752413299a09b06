"""Injuries, accidents and deaths of children as figures: counted where the child lived that day, each child once,
by sex, age group and kind (`group`), per month too; the rates per 100,000 and the QĐ 23 targets."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from treem.core.periods import Period
from treem.indicators import services as engine
from treem.indicators.computations import COMPUTATIONS, Scope
from treem.indicators.exports import write_csv
from treem.indicators.models import DataValue, Indicator, Target
from treem.registry import services
from treem.registry.models import ChildStatus, IncidentKind

pytestmark = pytest.mark.django_db

D = dt.date


def values(code: str, unit, period: str) -> dict[str, float]:  # noqa: ANN001
    qs = DataValue.objects.filter(indicator__code=code, unit=unit, period=period)
    return dict(qs.values_list("disagg", "value"))


def incident(editor, child, day, kind="drowning", outcome="hospital"):  # noqa: ANN001, ANN201
    return services.incident_record(
        actor=editor, child=child, kind=IncidentKind.objects.get(code=kind), occurred_on=day, place="water",
        outcome=outcome,
    )  # fmt: skip


@pytest.fixture
def injuries(registry_data, editor):  # noqa: ANN001, ANN201
    """In Hon: A (F, 10) drowned without harm in June 2025 and fell in July; E (F, 13) burnt in August. D (M, 5)
    fell in Hon in August, then moved with the household to Bình Lư on 01/09 and drowned there in September (died).
    H (M, 11, Bình Lư) died of illness in October. B is 16 in July: his fall of July is not a child's."""
    kids = registry_data
    incident(editor, kids.a, D(2025, 6, 10))
    incident(editor, kids.a, D(2025, 7, 3), kind="fall", outcome="home_care")
    incident(editor, kids.e, D(2025, 8, 20), kind="burn", outcome="health_station")
    incident(editor, kids.d, D(2025, 8, 5), kind="fall", outcome="home_care")
    incident(editor, kids.b, D(2025, 7, 20), kind="fall", outcome="home_care")
    incident(editor, kids.d, D(2025, 9, 14), outcome="death")
    services.child_set_status(
        actor=editor, child=kids.h, status=ChildStatus.DECEASED, on=D(2025, 10, 2), death_cause="illness"
    )
    return kids


def test_the_injury_indicators_are_computed_definitions():
    for code in ("child_injuries", "child_deaths", "child_injury_deaths"):
        indicator = Indicator.objects.get(code=code)
        assert (indicator.source, indicator.numerator) == ("computed", code)
        assert code in COMPUTATIONS and "group" in COMPUTATIONS[code].dims
    rate = Indicator.objects.get(code="child_injury_death_rate")
    assert (rate.measure, rate.numerator, rate.denominator) == ("per_100000", "child_injury_deaths", "children")
    targets = dict(
        Target.objects.filter(indicator__code="child_injury_death_rate", unit=None).values_list("year", "value")
    )
    assert targets == {2025: 16, 2030: 15}


def test_incidents_by_month_count_where_the_child_lived_that_day(injuries, tree):
    engine.compute(Period.parse("2025-08"), [tree.province])
    # August: E (burn) and D (fall, in Hon before the move)
    assert values("child_injuries", tree.village, "2025-08")[""] == 2
    assert values("child_injuries", tree.sibling, "2025-08").get("", 0) == 0
    engine.compute(Period.parse("2025-09"), [tree.province])
    # September: D drowned in Bình Lư, where he lived since 01/09 (not in Hon)
    assert values("child_injuries", tree.sibling, "2025-09")[""] == 1
    assert values("child_injuries", tree.village, "2025-09").get("", 0) == 0
    assert values("child_injuries", tree.sibling, "2025-09")["group=drowning"] == 1


def test_each_child_counts_once_by_kind_and_age(injuries, tree):
    engine.compute(Period.parse("2025S2"), [tree.province])
    got = values("child_injuries", tree.commune, "2025S2")
    # A (fall), E (burn), D (fall in August in Hon): three children; B was 16; D's drowning is in Bình Lư
    assert got[""] == 3
    assert (got["group=fall"], got["group=burn"]) == (2, 1)
    assert (got["age_group=6-10;sex=F"], got["age_group=11-15;sex=F"], got["age_group=0-5;sex=M"]) == (1, 1, 1)
    assert values("child_injuries", tree.province, "2025S2")[""] == 4  # D once in each commune he was injured in
    engine.compute(Period.parse("2025"), [tree.province])
    assert values("child_injuries", tree.village, "2025")[""] == 3  # A once for the year, E, D


def test_deaths_count_once_with_their_cause(injuries, tree):
    engine.compute(Period.parse("2025S2"), [tree.province])
    deaths = values("child_deaths", tree.sibling, "2025S2")
    assert (deaths[""], deaths["group=drowning"], deaths["group=illness"]) == (2, 1, 1)
    injury = values("child_injury_deaths", tree.sibling, "2025S2")
    assert (injury[""], injury["group=drowning"], injury["sex=M;age_group=0-5"] if "sex=M;age_group=0-5" in injury
            else injury["age_group=0-5;sex=M"]) == (1, 1, 1)  # fmt: skip
    assert values("child_deaths", tree.commune, "2025S2").get("", 0) == 0
    assert values("child_deaths", tree.province, "2025S2")[""] == 2


def test_the_rate_per_100000(injuries, tree):
    engine.compute(Period.parse("2025"), [tree.province])
    children = values("children", tree.province, "2025")[""]
    rate = values("child_injury_rate", tree.province, "2025")[""]
    assert rate == pytest.approx(100_000 * 4 / children)


def test_the_computation_follows_the_protocol(injuries, tree):
    comp = COMPUTATIONS["child_deaths"]
    counts = comp.count(Scope(Period.parse("2025-10"), (tree.province.path,)), ("group",))
    assert dict(counts) == {(tree.sibling.path, ("illness",)): 1}
    assert comp.leaf_level == "village"
    since = injuries.a.created_at
    assert tree.sibling.path in comp.changed_paths(since)


def test_the_csv_writes_the_kind_in_the_group_column(injuries, tree):
    period = Period.parse("2025S2")
    engine.compute(period, [tree.province])
    out = io.StringIO()
    write_csv(out, period, tree.province, indicators=Indicator.objects.filter(code__in=["child_injuries"]))
    rows = {(r["unit_code"], r["group"]): r["value"] for r in csv.DictReader(io.StringIO(out.getvalue()))
            if not r["sex"] and not r["age_group"]}  # fmt: skip
    assert rows[(tree.commune.code, "fall")] == "2"
    assert rows[(tree.commune.code, "drowning")] == "0"
    assert (tree.commune.code, "a") not in rows  # the groups of children are not kinds of injury


def test_the_migration_switches_only_the_shipped_entered_rows():
    import importlib
    from types import SimpleNamespace

    from django.apps import apps

    migration = importlib.import_module("treem.indicators.migrations.0004_injuries_deaths_computed")
    editor = SimpleNamespace(connection=SimpleNamespace(alias="default"))
    qs = Indicator.objects.filter(code="child_injuries")
    qs.update(source="entered", numerator="", disaggregations=[["sex"]])
    migration.forwards(apps, editor)
    assert qs.values_list("source", "numerator").get() == ("computed", "child_injuries")
    assert ["group"] in qs.get().disaggregations
    qs.update(source="entered", numerator="local_sum")
    migration.forwards(apps, editor)
    assert qs.values_list("source", "numerator").get() == ("entered", "local_sum")
