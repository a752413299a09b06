"""The CLI contract `treem activities summary`, and activity costs in the finance ledger (entered once, as cost
lines), on hand-built data."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from treem.activities import services
from treem.audit.models import AuditEvent
from treem.finance.ledger import ledger
from treem.finance.models import FundingSource, SourceKind

from .conftest import source

pytestmark = pytest.mark.django_db


@pytest.fixture
def costed(setup, officer, specialist, tree):  # noqa: ANN001, ANN201
    """Costs: the commune's campaign 3 M (province) + 1.5 M (raised); the province's training 20 M (central); the
    sibling's meeting 0.5 M (local); a commune campaign of the year before 7 M (local)."""
    province, raised = source("province", SourceKind.PROVINCE), source("raised", SourceKind.RAISED)
    central, local = source("central", SourceKind.CENTRAL), source("local", SourceKind.LOCAL)
    services.cost_add(actor=officer, activity=setup.commune_campaign, source=province, amount=3_000_000)
    services.cost_add(actor=officer, activity=setup.commune_campaign, source=raised, amount=1_500_000)
    services.cost_add(actor=setup.teacher, activity=setup.school_training, source=central, amount=20_000_000)
    services.cost_add(actor=specialist, activity=setup.sibling_meeting, source=local, amount=500_000)
    old = setup.make(officer, tree.commune, "campaign", "Năm trước", starts_on=dt.date(2024, 6, 1), children_male=7)
    services.cost_add(actor=officer, activity=old, source=local, amount=7_000_000)
    return {"province": province, "raised": raised, "central": central, "local": local}


def _summary(code: str, year: int) -> list[list[str]]:
    out = StringIO()
    call_command("activities", "summary", "--unit", code, "--year", str(year), stdout=out)
    return [line.split("\t") for line in out.getvalue().splitlines()]


def test_summary_of_a_commune(costed, tree) -> None:  # noqa: ANN001
    lines = _summary(tree.commune.code, 2025)
    assert lines[0] == ["campaign", "1", "110", "4500000"]
    assert ["inspection", "1", "0", "0"] in lines
    assert ["training", "0", "0", "0"] in lines  # the training is the province's, above the commune
    assert lines[-1] == ["total", "2", "110", "4500000"]
    assert [line[0] for line in lines[:-1]] == [
        "campaign", "training", "inspection", "meeting", "event", "club_session", "other",
    ]  # fmt: skip
    assert all(len(line) == 4 for line in lines)


def test_summary_of_the_province_adds_up_its_communes(costed, tree) -> None:  # noqa: ANN001
    lines = {line[0]: line[1:] for line in _summary(tree.province.code, 2025)}
    assert lines["training"] == ["1", "30", "20000000"]
    assert lines["meeting"] == ["1", "9", "500000"]
    assert lines["total"] == ["4", "149", "25000000"]
    assert _summary(tree.province.code, 2024)[-1] == ["total", "1", "7", "7000000"]


def test_summary_of_an_unknown_unit_fails(tree) -> None:  # noqa: ANN001
    with pytest.raises(CommandError, match="no unit"):
        _summary("99999", 2025)


def test_the_ledger_reads_the_activity_costs_once(costed, tree) -> None:  # noqa: ANN001
    commune = ledger(unit=tree.commune, year=2025)
    by_kind = {r.kind: r for r in commune.spending}
    assert by_kind["activities.campaign"].by_source == {
        costed["province"].pk: 3_000_000, costed["raised"].pk: 1_500_000,
    }  # fmt: skip
    assert by_kind["activities.campaign"].count == 1
    assert commune.total_spent == 4_500_000
    spent = {r.source.code: r.spent for r in commune.sources if r.source}
    assert spent["province"] == 3_000_000 and spent["raised"] == 1_500_000 and spent["local"] == 0
    province = ledger(unit=tree.province, year=2025)
    assert province.total_spent == 25_000_000  # the commune's, the sibling's and the province's own, each once
    assert ledger(unit=tree.province, year=2024).total_spent == 7_000_000


def test_the_ledger_reads_activities_and_support_each_once(setup, officer, tree) -> None:  # noqa: ANN001
    """The fund paid 1.000.000 of the campaign (an activity cost line) and 500.000 of books (support's fund spending);
    the fund received a 5.000.000 donation: each amount appears once, under its own kind."""
    from treem.support import services as support

    fund = source("fund", SourceKind.FUND)
    services.cost_add(actor=officer, activity=setup.commune_campaign, source=fund, amount=1_000_000)
    support.fund_spend(actor=officer, unit=tree.commune, amount=500_000, spent_on=dt.date(2025, 7, 1), purpose="Sách")
    support.donation_record(
        actor=officer, unit=tree.commune, donor="Công ty X", amount=5_000_000, received_on=dt.date(2025, 5, 1)
    )
    book = ledger(unit=tree.commune, year=2025)
    row = next(r for r in book.sources if r.source and r.source.pk == fund.pk)
    assert (row.income, row.spent) == (5_000_000, 1_500_000)
    kinds = {r.kind: r.total for r in book.spending}
    assert kinds["activities.campaign"] == 1_000_000
    assert sum(kinds.values()) == book.total_spent == 1_500_000


def test_the_cost_audit_keeps_the_source_name(setup, officer) -> None:  # noqa: ANN001
    """The amount is written with dots (2.500.000); the rest of the line (a source named with a comma) as it is."""
    fund = FundingSource.objects.create(code="village_fund", name_vi="Quỹ xã, thôn", name_en="Quỹ xã, thôn")
    line = services.cost_add(actor=officer, activity=setup.commune_campaign, source=fund, amount=2_500_000)
    services.cost_remove(actor=officer, line=line)
    summaries = list(AuditEvent.objects.filter(target_type="activity").order_by("pk").values_list("summary", flat=True))
    assert summaries[-2:] == ["Ghi kinh phí 2.500.000 đồng từ nguồn Quỹ xã, thôn", "Bỏ dòng kinh phí 2.500.000 đồng"]
