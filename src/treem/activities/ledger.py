"""What the activities give the finance ledger: their costs, by activity type and source of funds, on the day the
activity began. Registered with `finance.ledger.register_spending` from `ActivitiesConfig.ready()`; the cost lines
are the only place these amounts are entered."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Sum

from treem.finance.ledger import Flow

from .models import ActivityType, CostLine

KIND_PREFIX = "activities."


def activity_costs(*, path: str, start: dt.date, end: dt.date) -> Iterable[Flow]:
    """One flow per (activity type, source): the cost lines of the activities below `path` begun in the days."""
    names = {t.code: t.name for t in ActivityType.objects.all()}
    rows = (
        CostLine.objects.filter(
            activity__unit_path__path_prefix=path, activity__starts_on__gte=start, activity__starts_on__lte=end
        )
        .values("activity__type__code", "source_id")
        .annotate(amount=Sum("amount"), n=Count("activity_id", distinct=True))
        .order_by("activity__type__code", "source_id")
    )
    return [
        Flow(
            f"{KIND_PREFIX}{r['activity__type__code']}",
            names.get(r["activity__type__code"], ""),
            r["source_id"],
            int(r["amount"] or 0),
            r["n"],
        )  # fmt: skip
        for r in rows
    ]
