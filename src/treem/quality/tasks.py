"""The monthly snapshot, run by the task worker (`treem db_worker`) when enqueued by `treem quality snapshot
--enqueue` (cron, monthly)."""

from __future__ import annotations

import datetime as dt

from django.tasks import task

from treem.units.models import Unit

from .services import snapshot_take


@task()
def take_snapshot(month: str, unit_id: int | None = None) -> int:
    """`month`: yyyy-mm-dd of any day of the month; `unit_id`: only below that unit (everywhere when None)."""
    root = Unit.objects.get(pk=unit_id) if unit_id is not None else None
    return snapshot_take(month=dt.date.fromisoformat(month), root=root)
