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
    """One flow per (activity type, source): the cost lines of the activities below `path` begun in the days. The
    number of activities of a type goes on its first flow only (an activity paid from two sources is one activity)."""
    names = {t.code: t.name for t in ActivityType.objects.all()}
    lines = CostLine.objects.filter(
        activity__unit_path__path_prefix=path, activity__starts_on__gte=start, activity__starts_on__lte=end
    )
    counts = dict(
        lines.values("activity__type__code")
        .annotate(n=Count("activity_id", distinct=True))
        .order_by()
        .values_list("activity__type__code", "n")
    )
    rows = (
        lines.values("activity__type__code", "source_id")
        .annotate(amount=Sum("amount"))
        .order_by("activity__type__code", "source_id")
    )
    flows: list[Flow] = []
    for r in rows:
        code = r["activity__type__code"]
        flows.append(Flow(f"{KIND_PREFIX}{code}", names.get(code, code), r["source_id"], int(r["amount"] or 0),
                          counts.pop(code, 0)))  # fmt: skip
    return flows
