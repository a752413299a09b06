"""What support tells finance's ledger: each delivery once (by the programme's shared source, or by the fund's when the
fund paid it), the fund's other spending and its donations; and programmes mapped onto the shared sources."""

from __future__ import annotations

import datetime as dt
import importlib
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from treem.finance.ledger import ledger
from treem.finance.models import Allocation, FundingSource
from treem.support import services
from treem.support.models import FundSpending, Programme
from treem.support.reference import programmes_sync
from treem.support.selectors import fund_ledger

D = dt.date
GIFT = services.DeliveryInput(item="Quà 1/6", value=300_000, delivered_on=D(2025, 6, 1), delivered_by="Lò Văn Cán")


def source(code: str) -> FundingSource:
    return FundingSource.objects.get(code=code)


def delivered_round(programme, unit, officer, chairman) -> None:  # noqa: ANN001
    r = services.round_create(actor=officer, programme=programme, unit=unit, on=D(2025, 5, 31))
    services.round_generate(actor=officer, round_=r)
    services.round_approve(actor=chairman, round_=r)
    services.deliveries_record_all(actor=officer, round_=r, data=GIFT)


@pytest.fixture
def money(tree, kids, officer, chairman, make_user):  # noqa: ANN001, ANN201
    """In Khun Há in 2025: a gift round of the state budget (4 × 300.000), a round paid from the fund (4 × 300.000:
    the fund's spending rows are the same money), other fund spending 500.000, a donation 5.000.000, an allocation
    from the province 10.000.000; in Bình Lư a donation of 1.000.000."""
    gift = Programme.objects.get(code="gift-special")
    fund = Programme.objects.create(
        code="fund-help", name_vi="Hỗ trợ từ Quỹ BTTE", kind="fund", rules=gift.rules,
        source=source("fund"),
    )  # fmt: skip
    delivered_round(gift, tree.commune, officer, chairman)
    delivered_round(fund, tree.commune, officer, chairman)
    services.fund_spend(actor=officer, unit=tree.commune, amount=500_000, spent_on=D(2025, 7, 1), purpose="Sách vở")
    services.donation_record(actor=officer, unit=tree.commune, donor="Công ty X", amount=5_000_000,
                             received_on=D(2025, 5, 1))  # fmt: skip
    services.donation_record(actor=make_user("commune_officer", tree.sibling), unit=tree.sibling, donor="Y",
                             amount=1_000_000, received_on=D(2025, 5, 2))  # fmt: skip
    Allocation.objects.create(unit=tree.commune, unit_path=tree.commune.path, year=2025, source=source("province"),
                              amount=10_000_000, purpose="Tháng hành động")  # fmt: skip
    return SimpleNamespace(gift=gift, fund=fund)


def by_source(book) -> dict[str | None, tuple[int, int]]:  # noqa: ANN001
    return {(r.source.code if r.source else None): (r.income, r.spent) for r in book.sources if r.income or r.spent}


def test_each_delivery_is_counted_once_and_the_fund_agrees_with_its_page(money, tree, officer):
    assert FundSpending.objects.filter(delivery__isnull=False).count() == 4  # the fund's rows of the fund round
    book = ledger(unit=tree.commune, year=2025)
    assert by_source(book) == {
        "province": (10_000_000, 0),
        "state": (0, 1_200_000),  # the gift's programme: state budget (level not given)
        "fund": (5_000_000, 1_200_000 + 500_000),  # not 2.900.000: a delivery paid by the fund counts once
    }
    assert book.total_spent == 2_900_000 and book.total_income == 15_000_000
    page = fund_ledger(officer, tree.commune)
    fund_row = next(r for r in book.sources if r.source and r.source.code == "fund")
    assert (fund_row.income, fund_row.spent, fund_row.balance) == (page.total_in, page.total_out, page.balance)
    spending = {r.kind: (r.total, r.count) for r in book.spending}
    assert spending == {
        "support.delivery.gift": (1_200_000, 4),
        "support.delivery.fund": (1_200_000, 4),
        "support.fund_spending": (500_000, 1),
    }
    assert {r.kind: r.total for r in book.income} == {"finance.allocation": 10_000_000, "support.donations": 5_000_000}


def test_the_subtree_and_the_year(money, tree):
    assert by_source(ledger(unit=tree.province, year=2025))["fund"] == (6_000_000, 1_700_000)
    assert by_source(ledger(unit=tree.sibling, year=2025)) == {"fund": (1_000_000, 0)}
    assert by_source(ledger(unit=tree.commune, year=2024)) == {}
    assert by_source(ledger(unit=tree.village, year=2025))["state"][1] > 0  # deliveries are placed in the village


def test_a_programme_follows_its_shared_source(tree, kids, officer, chairman):
    gift = Programme.objects.get(code="gift-special")
    gift.source = source("fund")
    gift.save()
    gift.refresh_from_db()
    assert gift.paid_from_fund  # support's own rule reads the shared source: one meaning
    delivered_round(gift, tree.commune, officer, chairman)
    assert FundSpending.objects.count() == 4
    assert by_source(ledger(unit=tree.commune, year=2025)) == {"fund": (0, 1_200_000)}
    gift.source = source("province")
    gift.save(update_fields=["source"])
    gift.refresh_from_db()
    assert not gift.paid_from_fund
    Programme.objects.filter(code="relief-disaster").delete()
    assert programmes_sync() == 1  # the shipped file's older choice gives the shared source
    assert Programme.objects.get(code="relief-disaster").source == source("state")


STATE_0004, STATE_0005 = [("support", "0004_disasters")], [("support", "0005_finance_source")]


def _migrate(targets: list[tuple[str, str]]):  # noqa: ANN202
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migrations_map_existing_programmes():
    old = _migrate(STATE_0004).get_model("support", "Programme")
    choices = ["state_budget", "child_protection_fund", "donations", "other"]
    for choice in choices:
        old.objects.create(code=f"p-{choice}", name_vi=choice, kind="gift", funding_source=choice)  # as before 0005
    new_apps = _migrate(STATE_0005)
    programme = new_apps.get_model("support", "Programme")
    mapped = dict(programme.objects.filter(code__startswith="p-").values_list("funding_source", "source__code"))
    assert mapped == {"state_budget": "state", "child_protection_fund": "fund", "donations": "raised", "other": "other"}
    assert programme.objects.get(code="gift-special").source.code == "state"  # the shipped one, on migrating
    central = new_apps.get_model("finance", "FundingSource").objects.get(code="central")
    kept = programme.objects.create(code="kept", name_vi="kept", kind="gift", funding_source="state_budget")
    programme.objects.filter(pk=kept.pk).update(source=central)
    migration = importlib.import_module("treem.support.migrations.0005_finance_source")
    migration.forward(new_apps, SimpleNamespace(connection=connection))
    assert programme.objects.get(pk=kept.pk).source.code == "central"  # a source already set is kept
    executor = MigrationExecutor(connection)
    _migrate(executor.loader.graph.leaf_nodes())  # 0006 drops the choice; going back gives it again
    Programme.objects.filter(code="p-other").update(source=source("international"))
    programme = _migrate(STATE_0005).get_model("support", "Programme")
    back = dict(programme.objects.filter(code__startswith="p-").values_list("code", "funding_source"))
    assert back == {f"p-{c}": c for c in choices}
    _migrate(executor.loader.graph.leaf_nodes())
