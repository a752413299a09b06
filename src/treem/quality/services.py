"""Monthly snapshots: each commune's figures as they stood at the month's end, kept for the trend."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from treem.core.dates import today_vn
from treem.units.models import Unit

from .figures import compute
from .models import Snapshot

FIELDS = (
    "children", "no_id", "dob_inexact", "no_guardian", "no_village", "households", "not_visited",
    "days_since_update", "duplicates_pending", "id_verified", "id_corrected", "id_not_found",
)  # fmt: skip


def month_end(month: dt.date) -> dt.date:
    return (month.replace(day=1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


@transaction.atomic
def snapshot_take(*, month: dt.date | None = None, root: Unit | None = None) -> int:
    """Store the figures of every commune with records under `root` (everywhere for None) for `month` (default the
    running month), counted on the month's last day or today if that is earlier; a month taken again is replaced.
    Returns the number of communes stored."""
    first = (month or today_vn()).replace(day=1)
    on = min(month_end(first), today_vn())
    figures = compute(root, on)
    old = Snapshot.objects.filter(month=first)
    if root is not None:
        old = old.filter(unit_path__path_prefix=root.path)
    old.delete()
    Snapshot.objects.bulk_create(
        Snapshot(
            month=first,
            commune=f.commune,
            unit_path=f.commune.path,
            score=f.score or 0.0,
            **{name: getattr(f, name) for name in FIELDS},
        )  # fmt: skip
        for f in figures
        if f.commune is not None
    )
    return len(figures)
