"""Demo support: the 1/6 gift for children in special circumstances in Khun Há, last year's and this year's rounds,
generated from the rules, approved by the chairman and handed out (one child of this year's list still waiting),
and donations to the commune's Child Protection Fund with one spending. Safe to run again: an existing round is kept.
Seeded before the indicators are computed, so the figure of children in special circumstances assisted has data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from treem.accounts.models import User
from treem.core.dates import today_vn
from treem.support import services
from treem.support.models import Donation, Programme, Round
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
    return SupportStats(rounds, listed, delivered)
