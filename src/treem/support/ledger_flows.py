"""What support tells finance's ledger (registered in `SupportConfig.ready()`; finance never imports support).

Spending: each delivery once, by the programme's shared source, or by the Child Protection Fund's when the fund paid
it (its `FundSpending` row is the same money and is not reported again); the fund's other spending. Income: the
fund's donations. Each amount is support's own record: nothing is copied into finance.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from treem.finance.ledger import Flow
from treem.finance.selectors import fund_source

from .models import Delivery, Donation, FundSpending, ProgrammeKind

DELIVERY_KIND = "support.delivery"
FUND_SPENDING_KIND = "support.fund_spending"
DONATIONS_KIND = "support.donations"


def spending(*, path: str, start: dt.date, end: dt.date) -> Iterable[Flow]:
    fund = fund_source()
    fund_id = fund.pk if fund else None
    deliveries = Delivery.objects.filter(unit_path__path_prefix=path, delivered_on__gte=start, delivered_on__lte=end)
    rows = (
        deliveries.values("beneficiary__programme__kind", "beneficiary__programme__source_id")
        .annotate(
            amount=Sum("value", filter=Q(fund_spending__isnull=True), default=0),
            n=Count("pk", filter=Q(fund_spending__isnull=True)),
            fund_amount=Sum("value", filter=Q(fund_spending__isnull=False), default=0),
            fund_n=Count("pk", filter=Q(fund_spending__isnull=False)),
        )
        .order_by()
    )
    for row in rows:
        kind = row["beneficiary__programme__kind"]
        key, label = f"{DELIVERY_KIND}.{kind}", _("Support: %(kind)s") % {"kind": ProgrammeKind(kind).label}
        if row["n"]:
            yield Flow(key, label, row["beneficiary__programme__source_id"], row["amount"], row["n"])
        if row["fund_n"]:
            yield Flow(key, label, fund_id, row["fund_amount"], row["fund_n"])
    other = FundSpending.objects.filter(
        unit_path__path_prefix=path, spent_on__gte=start, spent_on__lte=end, delivery__isnull=True
    ).aggregate(amount=Sum("amount", default=0), n=Count("pk"))
    if other["n"]:
        yield Flow(FUND_SPENDING_KIND, _("Child Protection Fund: other spending"), fund_id, other["amount"], other["n"])


def income(*, path: str, start: dt.date, end: dt.date) -> Iterable[Flow]:
    donations = Donation.objects.filter(
        unit_path__path_prefix=path, received_on__gte=start, received_on__lte=end
    ).aggregate(amount=Sum("amount", default=0), n=Count("pk"))
    if donations["n"]:
        fund = fund_source()
        label = _("Donations to the Child Protection Fund")
        yield Flow(DONATIONS_KIND, label, fund.pk if fund else None, donations["amount"], donations["n"])
