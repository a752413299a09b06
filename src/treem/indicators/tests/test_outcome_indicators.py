"""Abuse cases by legal outcome: computed from the outcomes recorded on the cases (no figure entered twice)."""

from __future__ import annotations

import datetime as dt
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.utils import timezone

from treem.accounts import roles
from treem.cases import outcomes, services
from treem.core.dates import VN_TZ
from treem.core.periods import Period
from treem.indicators import services as engine
from treem.indicators.models import DataValue, Indicator

D = dt.date


def values(code: str, unit, period: str) -> dict[str, float]:  # noqa: ANN001
    qs = DataValue.objects.filter(indicator__code=code, unit=unit, period=period)
    return dict(qs.values_list("disagg", "value"))


@pytest.fixture
def handled(tree, make_user):  # noqa: ANN001, ANN201
    """Three abuse cases received in Khun Há in January 2025: one fined (March), one prosecuted (reported in
    February, tried in May), one with no violation found (April); a fourth has no outcome."""
    worker = make_user(roles.COMMUNE_OFFICER, tree.commune)
    at = dt.datetime(2025, 1, 10, 9, 0, tzinfo=VN_TZ)
    cases = [
        services.case_open(
            actor=worker, commune=tree.commune, intake_at=at, channel="police", category="abused",
            description="Bị đánh", child_name=f"Trẻ {n}", child_age_estimate=9, abuse_forms=["violence"],
        )
        for n in range(4)
    ]  # fmt: skip
    fined, tried, cleared, _none = cases
    outcomes.outcome_record(actor=worker, case=fined, kind="administrative", decided_on=D(2025, 3, 1),
                            decree="NĐ 130/2021/NĐ-CP", amount=3_000_000)  # fmt: skip
    outcomes.outcome_record(actor=worker, case=tried, kind="criminal", stage="reported", decided_on=D(2025, 2, 1))
    outcomes.outcome_record(actor=worker, case=tried, kind="criminal", stage="tried", decided_on=D(2025, 5, 1))
    outcomes.outcome_record(actor=worker, case=cleared, kind="no_violation", decided_on=D(2025, 4, 1))
    return cases


def test_abuse_cases_by_outcome_are_computed_once_per_case(handled, tree):
    assert Indicator.objects.get(code="abuse_violations_handled").source == "computed"
    engine.compute(Period.parse("2025S1"), [tree.province])
    got = values("abuse_cases_by_outcome", tree.commune, "2025S1")
    assert got[""] == 3  # the prosecuted case counts once, by its latest outcome
    assert (got["outcome=administrative"], got["outcome=criminal"], got["outcome=no_violation"]) == (1, 1, 1)
    assert values("abuse_violations_handled", tree.commune, "2025S1")[""] == 1
    assert values("abuse_violations_handled", tree.province, "2025S1")[""] == 1
    engine.compute(Period.parse("2025S2"), [tree.province])
    assert values("abuse_cases_by_outcome", tree.commune, "2025S2").get("", 0) == 0


def test_a_new_outcome_is_noticed_as_a_change(handled, tree, make_user):
    from treem.indicators.computations import COMPUTATIONS

    since = timezone.now()
    worker = handled[0].workers.get()
    outcomes.outcome_record(actor=worker, case=handled[3], kind="no_violation", decided_on=D(2025, 6, 1))
    assert tree.commune.path in COMPUTATIONS["abuse_violations_handled"].changed_paths(since)


def test_the_migration_switches_the_shipped_entered_definition_only(db):
    migration = importlib.import_module("treem.indicators.migrations.0005_cases_abuse_violations_handled_computed")
    editor = SimpleNamespace(connection=SimpleNamespace(alias="default"))
    qs = Indicator.objects.filter(code="abuse_violations_handled")
    qs.update(source="entered", numerator="", definition_vi="")
    migration.forwards(apps, editor)
    assert qs.values_list("source", "numerator").get() == ("computed", "abuse_violations_handled")
    assert qs.get().definition_vi.startswith("Số vụ việc xâm hại trẻ em có quyết định xử phạt")
    qs.update(source="entered", numerator="local_sum")  # an administrator's own definition stays
    migration.forwards(apps, editor)
    assert qs.values_list("source", "numerator").get() == ("entered", "local_sum")
