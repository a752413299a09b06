"""Demo support: the 1/6 gift for children in special circumstances in Khun Há, last year's and this year's rounds,
generated from the rules, approved by the chairman and handed out (one child of this year's list still waiting),
and donations to the commune's Child Protection Fund with one spending; a flash flood in two villages with its
affected children and a relief round (`seed_flood`). Safe to run again: an existing round is kept.
Seeded before the indicators are computed, so the figure of children in special circumstances assisted has data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from treem.accounts.models import User
from treem.core.dates import today_vn
from treem.support import disaster_services, services
from treem.support.models import AffectedStatus, Disaster, DisasterKind, Donation, NeedKind, Programme, Round
from treem.units.models import Unit

GIFT = "gift-special"


@dataclass(frozen=True, slots=True)
class SupportStats:
    rounds: int
    listed: int
    delivered: int


def _gift_days(today: dt.date) -> list[dt.date]:
    """1 June of last year and of this year (of the year before, before this year's 1 June)."""
    year = today.year if today >= dt.date(today.year, 6, 1) else today.year - 1
    return [dt.date(year - 1, 6, 1), dt.date(year, 6, 1)]


def seed_support(*, commune: Unit, officer: User, chairman: User) -> SupportStats:
    gift = Programme.objects.get(code=GIFT)
    days = _gift_days(today_vn())
    rounds = listed = delivered = 0
    for day in days:
        if Round.objects.filter(programme=gift, unit=commune, on=day - dt.timedelta(days=3)).exists():
            continue
        r = services.round_create(
            actor=officer, programme=gift, unit=commune, on=day - dt.timedelta(days=3),
            name=f"Quà Ngày Quốc tế Thiếu nhi 1/6/{day.year}", item="Quà và tiền mặt", value=300_000,
        )  # fmt: skip
        listed += services.round_generate(actor=officer, round_=r).added
        if not r.beneficiaries.exists():
            continue
        services.round_approve(actor=chairman, round_=r)
        data = services.DeliveryInput(
            item="Quà và tiền mặt", value=300_000, delivered_on=day, delivered_by=officer.get_full_name()
        )
        rows = list(r.beneficiaries.select_related("child").order_by("pk"))
        if day == days[-1]:
            rows = rows[:-1]  # one child of this year's list still waiting
        for row in rows:
            services.delivery_record(actor=officer, beneficiary=row, data=data)
            delivered += 1
        rounds += 1
    if not Donation.objects.filter(unit=commune).exists():
        for donor, amount, day in (
            ("Công ty Cổ phần Thủy điện Nậm Na (dữ liệu mẫu)", 20_000_000, days[0] - dt.timedelta(days=20)),
            ("Hội Chữ thập đỏ xã (dữ liệu mẫu)", 5_000_000, days[-1] - dt.timedelta(days=15)),
        ):
            services.donation_record(actor=officer, unit=commune, donor=donor, amount=amount, received_on=day)
        services.fund_spend(
            actor=officer, unit=commune, amount=2_000_000, spent_on=days[-1] - dt.timedelta(days=5),
            purpose="Thăm hỏi, hỗ trợ trẻ em bị ốm nặng (dữ liệu mẫu)",
        )  # fmt: skip
    seed_flood(commune=commune, officer=officer, chairman=chairman)
    return SupportStats(rounds, listed, delivered)


# --- a flood in two villages of Khun Há, its affected children and the relief round --------------------------------

FLOOD_NAME = "Lũ quét tháng trước tại xã Khun Há (dữ liệu mẫu)"


def seed_flood(*, commune: Unit, officer: User, chairman: User) -> int:
    """A flash flood in two villages six weeks ago: the children who lived there proposed, most confirmed with their
    needs, one not affected, one added by hand; a relief round (`relief-disaster`) approved by the chairman, and all
    but two of its children helped. Returns how many children were helped (0 when it already exists)."""
    if Disaster.objects.filter(unit=commune, name=FLOOD_NAME).exists():
        return 0
    villages = list(Unit.objects.filter(parent=commune, level="village").order_by("path")[:2])
    if not villages:
        return 0
    start = today_vn() - dt.timedelta(days=42)
    flood = disaster_services.disaster_declare(
        actor=officer, kind=DisasterKind.objects.get(code="flash_flood"), unit=commune, places=villages,
        started_on=start, ended_on=start + dt.timedelta(days=3), name=FLOOD_NAME,
        description="Mưa lớn kéo dài gây lũ quét, cuốn trôi nhà cửa và sách vở của nhiều hộ ven suối.",
    )  # fmt: skip
    disaster_services.affected_propose(actor=officer, disaster=flood)
    needs = {n.code: n for n in NeedKind.objects.all()}
    rows = list(flood.affected.select_related("child").order_by("unit_path", "child__name_key", "pk"))
    for i, row in enumerate(rows):
        if i == 1:
            disaster_services.affected_review(
                actor=officer, row=row, status=AffectedStatus.NOT_AFFECTED, reason="Nhà ở trên đồi, không bị ngập"
            )
        elif i % 5 != 4:  # every fifth child is left to review
            wanted = ["food", "school_supplies"] if i % 2 else ["food", "shelter", "psychosocial"]
            disaster_services.affected_review(
                actor=officer, row=row, status=AffectedStatus.CONFIRMED, needs=[needs[c] for c in wanted]
            )
    relief = Programme.objects.get(code="relief-disaster")
    r = services.round_create(
        actor=officer, programme=relief, unit=commune, on=start + dt.timedelta(days=5), disaster=flood,
        name="Cứu trợ trẻ em sau lũ quét (dữ liệu mẫu)", item="Gạo 20 kg, sách vở, chăn", value=500_000,
    )  # fmt: skip
    services.round_generate(actor=officer, round_=r)
    if not r.beneficiaries.exists():
        return 0
    services.round_approve(actor=chairman, round_=r)
    data = services.DeliveryInput(
        item="Gạo 20 kg, sách vở, chăn", value=500_000, delivered_on=start + dt.timedelta(days=7),
        delivered_by=officer.get_full_name(),
    )  # fmt: skip
    helped = 0
    for listed in r.beneficiaries.order_by("pk").select_related("child")[2:]:  # two still waiting
        services.delivery_record(actor=officer, beneficiary=listed, data=data)
        helped += 1
    return helped
