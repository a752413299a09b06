"""The ledger: allocations and the providers' flows summed per source and per kind."""

from __future__ import annotations

import pytest

from treem.finance import ledger
from treem.finance.models import Allocation, FundingSource
from treem.finance.services import sources_sync


@pytest.fixture
def providers(monkeypatch):  # noqa: ANN001, ANN201
    """Start with no registered provider (the apps' own are tested with their data)."""
    monkeypatch.setattr(ledger, "_SPENDING", [])
    monkeypatch.setattr(ledger, "_INCOME", [])


def test_sources_are_shipped(db) -> None:  # noqa: ANN001
    codes = set(FundingSource.objects.values_list("code", flat=True))
    assert {"central", "province", "local", "fund", "raised", "other"} <= codes
    assert FundingSource.objects.get(code="fund").kind == "fund"
    FundingSource.objects.filter(code="raised").update(name_vi="Xã hội hóa")
    FundingSource.objects.filter(code="other").delete()
    assert sources_sync() == 1  # the missing one, the edited one kept
    assert FundingSource.objects.get(code="raised").name_vi == "Xã hội hóa" and FundingSource.objects.count() == len(
        codes
    )


def test_allocations_and_provider_flows_per_source(tree, providers) -> None:  # noqa: ANN001
    province = FundingSource.objects.get(code="province")
    raised = FundingSource.objects.get(code="raised")
    Allocation.objects.create(unit=tree.commune, unit_path=tree.commune.path, year=2025, source=province,
                              amount=10_000_000, purpose="Tháng hành động")  # fmt: skip
    Allocation.objects.create(unit=tree.sibling, unit_path=tree.sibling.path, year=2025, source=province,
                              amount=7_000_000, purpose="Khác xã")  # fmt: skip
    Allocation.objects.create(unit=tree.commune, unit_path=tree.commune.path, year=2024, source=province,
                              amount=5_000_000, purpose="Năm trước")  # fmt: skip
    seen = []

    def costs(*, path, start, end):  # noqa: ANN001, ANN202
        seen.append((path, start, end))
        return [ledger.Flow("test.campaign", "Campaign", province.pk, 3_000_000, 2),
                ledger.Flow("test.campaign", "Campaign", raised.pk, 1_000_000),
                ledger.Flow("test.campaign", "Campaign", None, 500_000)]  # fmt: skip

    ledger.register_spending(costs)
    ledger.register_spending(costs)  # once only
    book = ledger.ledger(unit=tree.commune, year=2025)
    assert len(seen) == 1
    assert seen[0][0] == tree.commune.path and seen[0][1].isoformat() == "2025-01-01"
    rows = {(r.source.code if r.source else None): r for r in book.sources}
    assert (rows["province"].income, rows["province"].spent, rows["province"].balance) == (10_000_000, 3_000_000,
                                                                                            7_000_000)  # fmt: skip
    assert rows["raised"].spent == 1_000_000 and rows[None].spent == 500_000
    assert book.total_income == 10_000_000 and book.total_spent == 4_500_000
    assert [r.kind for r in book.spending] == ["test.campaign"] and book.spending[0].count == 4
