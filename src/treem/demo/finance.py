"""Demo budget: allocations of last year and this year in Lai Châu: the province's own (central and province budget),
and each demo commune's (province budget for the Month of Action, the commune's budget, raised funds), with amounts
that differ between communes, Khun Há having an international project too. The ledger then reads them together with
support's gift deliveries and the Child Protection Fund's donations (seeded before). Safe to run again: an
allocation with the same decision number in the same unit and year is kept. The shipped gift and relief programmes
are said to be paid by the commune's and the province's budget (still "state budget, level not given" only)."""

from __future__ import annotations

from dataclasses import dataclass

from treem.accounts.models import User
from treem.core.dates import today_vn
from treem.finance import services
from treem.finance.models import Allocation, FundingSource
from treem.support.models import Programme
from treem.units.models import Unit

PROVINCE_ROWS = (
    ("central", 120_000_000, "Chương trình bảo vệ trẻ em, hỗ trợ trẻ em có hoàn cảnh đặc biệt", "TW"),
    ("province", 350_000_000, "Kế hoạch thực hiện công tác trẻ em của tỉnh", "UBND"),
)
# Which budget pays support's shipped programmes in the demo (migrated as "state budget, level not given").
PROGRAMME_SOURCES = {"gift-special": "local", "relief-disaster": "province"}
COMMUNE_ROWS = (  # per commune, scaled by its place in the list so communes differ
    ("province", 30_000_000, "Tháng hành động vì trẻ em, truyền thông, tập huấn", "UBND"),
    ("local", 15_000_000, "Hoạt động bảo vệ trẻ em của xã, quà Tết Trung thu", "UBND-X"),
    ("raised", 8_000_000, "Vận động doanh nghiệp, nhà hảo tâm ủng hộ quà 1/6", "VD"),
)


@dataclass(frozen=True, slots=True)
class FinanceStats:
    allocations: int


def _add(actor: User, unit: Unit, year: int, code: str, amount: int, purpose: str, number: str) -> int:
    decision_no = f"{number}-{year}/QĐ"
    if Allocation.objects.filter(unit=unit, year=year, decision_no=decision_no).exists():
        return 0
    data = services.AllocationInput(
        year=year, source=FundingSource.objects.get(code=code), amount=amount, purpose=purpose,
        decision_no=decision_no,
    )  # fmt: skip
    services.allocation_create(actor=actor, unit=unit, data=data)
    return 1


SPECIALIST = "tinh.laichau"  # the demo's province specialist (finance.manage in the province) records them


def seed_finance(
    *, province: Unit, communes: list[Unit], commune: Unit, specialist: User | None = None
) -> FinanceStats:
    """`commune` (Khun Há) also gets an international project."""
    specialist = specialist or User.objects.get(username=SPECIALIST)
    for code, source in PROGRAMME_SOURCES.items():
        Programme.objects.filter(code=code, source__code="state").update(source=FundingSource.objects.get(code=source))
    this_year = today_vn().year
    added = 0
    for year in (this_year - 1, this_year):
        for code, amount, purpose, number in PROVINCE_ROWS:
            added += _add(specialist, province, year, code, amount, purpose, number)
        for i, unit in enumerate(communes):
            share = 1 + (i % 3)  # 1, 2, 3: the communes do not get the same
            for code, amount, purpose, number in COMMUNE_ROWS:
                added += _add(specialist, unit, year, code, amount * share // 2, purpose, f"{number}-{unit.code}")
        added += _add(specialist, commune, year, "international", 20_000_000,
                      "Dự án Ngôi nhà an toàn (tổ chức quốc tế tài trợ)", f"DA-{commune.code}")  # fmt: skip
    return FinanceStats(added)
