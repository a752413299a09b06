"""The demo budget: allocations that differ between communes, read by the ledger with support's money; added once."""

from __future__ import annotations

import pytest

from treem.accounts import roles
from treem.core.dates import today_vn
from treem.demo import finance as demo_finance
from treem.finance.ledger import ledger
from treem.finance.models import Allocation
from treem.support.models import Programme

pytestmark = pytest.mark.django_db


def test_the_budget_is_seeded_once_and_communes_differ(tree, make_user) -> None:  # noqa: ANN001
    specialist = make_user(roles.PROVINCE_SPECIALIST, tree.province, username="tinh.laichau")
    communes = [tree.commune, tree.sibling]
    stats = demo_finance.seed_finance(province=tree.province, communes=communes, commune=tree.commune)
    assert stats.allocations == Allocation.objects.count() == 2 * (2 + 2 * 3 + 1)
    assert Allocation.objects.filter(created_by=specialist).count() == stats.allocations
    year = today_vn().year
    khun_ha, binh_lu = (ledger(unit=u, year=year).total_income for u in communes)
    assert khun_ha != binh_lu and khun_ha > 0 and binh_lu > 0
    province = ledger(unit=tree.province, year=year)
    assert province.total_income == khun_ha + binh_lu + 470_000_000
    assert Programme.objects.get(code="gift-special").source.code == "local"
    again = demo_finance.seed_finance(province=tree.province, communes=communes, commune=tree.commune)
    assert again.allocations == 0
