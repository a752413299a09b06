"""The report's budget section: the ledger of the report's unit and below it for the report's period (the same
computation as the ledger page), by source and by kind; nothing from other units or other years."""

from __future__ import annotations

import datetime as dt

import pytest

from treem.finance import ledger
from treem.finance.models import Allocation, FundingSource
from treem.finance.report import budget_section

pytestmark = pytest.mark.django_db

START, END = dt.date(2025, 1, 1), dt.date(2025, 6, 30)


def _allocate(unit, year: int, code: str, amount: int) -> None:  # noqa: ANN001
    Allocation.objects.create(unit=unit, unit_path=unit.path, year=year, source=FundingSource.objects.get(code=code),
                              amount=amount, purpose="Kinh phí thử")  # fmt: skip


@pytest.fixture
def asked(monkeypatch, tree):  # noqa: ANN001, ANN201
    """One spending provider (the apps' own are tested with their data): 3 million from the province's budget in
    the commune, 1 million without a source in its village — for the days asked, which it records."""
    seen: list[tuple[str, dt.date, dt.date]] = []
    province = FundingSource.objects.get(code="province")

    def costs(*, path, start, end):  # noqa: ANN001, ANN202
        seen.append((path, start, end))
        flows = []
        if tree.commune.path.startswith(path):
            flows.append(ledger.Flow("test.campaign", "Truyền thông", province.pk, 3_000_000, 2))
        if tree.village.path.startswith(path):
            flows.append(ledger.Flow("test.training", "Tập huấn", None, 1_000_000))
        return flows

    monkeypatch.setattr(ledger, "_SPENDING", [costs])
    monkeypatch.setattr(ledger, "_INCOME", [])
    return seen


def test_the_section_is_the_ledger_of_the_unit_for_the_period(tree, asked) -> None:  # noqa: ANN001
    _allocate(tree.commune, 2025, "province", 10_000_000)
    _allocate(tree.village, 2025, "raised", 2_000_000)  # below the commune: counted
    _allocate(tree.sibling, 2025, "province", 7_000_000)  # another commune: not counted
    _allocate(tree.commune, 2024, "province", 5_000_000)  # another year: not counted
    section = budget_section(unit=tree.commune, start=START, end=END)
    assert asked == [(tree.commune.path, START, END)]  # the providers are asked for the period's days only
    by_source, by_kind = section.tables
    cells = {row.cells[0]: row.cells[1:] for row in by_source.rows}
    province, raised = FundingSource.objects.get(code="province"), FundingSource.objects.get(code="raised")
    assert cells[str(province)] == ("10.000.000", "3.000.000", "7.000.000")
    assert cells[str(raised)] == ("2.000.000", "0", "2.000.000")
    assert cells["Chưa rõ nguồn"] == ("0", "1.000.000", "-1.000.000")
    assert by_source.rows[-1].cells == ("Tổng số", "12.000.000", "4.000.000", "8.000.000")
    assert [r.cells for r in by_kind.rows] == [
        ("Truyền thông", "2", "3.000.000"),
        ("Tập huấn", "1", "1.000.000"),
        ("Tổng số", "3", "4.000.000"),
    ]  # fmt: skip (the ledger's order)
    book = ledger.period_ledger(unit=tree.commune, start=START, end=END)
    assert (book.total_income, book.total_spent) == (12_000_000, 4_000_000)  # the ledger's own figures
    assert "12.000.000" in section.paragraphs[0] and "30/06/2025" in section.paragraphs[0]


def test_the_province_adds_its_communes_and_nothing_of_another_province(tree, asked) -> None:  # noqa: ANN001
    _allocate(tree.commune, 2025, "province", 10_000_000)
    _allocate(tree.sibling, 2025, "province", 7_000_000)
    _allocate(tree.far_commune, 2025, "province", 9_000_000)
    section = budget_section(unit=tree.province, start=START, end=END)
    assert section.tables[0].rows[-1].cells == ("Tổng số", "17.000.000", "4.000.000", "13.000.000")


def test_no_section_without_money(tree, asked) -> None:  # noqa: ANN001
    _allocate(tree.commune, 2024, "province", 5_000_000)
    assert budget_section(unit=tree.other_province, start=START, end=END) is None
    assert budget_section(unit=tree.commune, start=START, end=END) is not None  # the test provider's spending
    assert budget_section(unit=tree.sibling, start=START, end=END) is None
