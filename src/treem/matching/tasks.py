"""Background matching runs, executed by the task worker (`treem db_worker`); the task takes only the run's id."""

from __future__ import annotations

from django.tasks import task

from .models import MatchRun, RunStatus
from .runs import execute_run


@task()
def run_matching(run_id: int) -> dict[str, int]:
    # Claim with a conditional UPDATE: a second worker (or a second enqueue) finds the run taken.
    if not MatchRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(status=RunStatus.RUNNING):
        return {}
    run = execute_run(MatchRun.objects.select_related("unit").get(pk=run_id))
    return {"records": run.records, "pairs": run.pairs_found, "new": run.new_pairs, "merged": run.auto_merged}
