from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "treem.matching"
    label = "matching"

    def ready(self) -> None:
        from treem.core.tasks import on_worker_stopped
        from treem.imports.signals import import_committed
        from treem.registry.duplicates import register_duplicate_checker
        from treem.registry.panels import register_child_panel

        from .form_check import checker
        from .panels import child_merges_panel

        import_committed.connect(_match_after_import, dispatch_uid="matching-after-import")
        register_child_panel(child_merges_panel)  # the child page shows the merges that made the record
        register_duplicate_checker(checker)  # the child form warns of likely duplicates before saving
        on_worker_stopped("treem.matching.tasks.run_matching", _run_stopped)  # the run fails; it can start again


def _match_after_import(sender: Any, job: Any, child_ids: list[int] | None = None, **kwargs: Any) -> None:
    """Each stored import queues a matching run over the children it stored, against the whole registry (the
    duplicates it may have brought); a sender without the ids gets the run over its commune."""
    from .runs import start_after_import

    start_after_import(job.unit, child_ids)


def _run_stopped(args: list[Any], kwargs: dict[str, Any]) -> None:
    """The task worker died during a run (treem.core.tasks): the run is failed, not "running" forever. The pairs
    it stored before are kept (each batch is its own transaction); a new run finds the same pairs again."""
    from django.utils import timezone

    from .models import MatchRun, RunStatus
    from .runs import WORKER_STOPPED

    run_id = args[0] if args else kwargs.get("run_id", 0)
    MatchRun.objects.filter(pk=run_id, status__in=(RunStatus.QUEUED, RunStatus.RUNNING)).update(
        status=RunStatus.FAILED, error=WORKER_STOPPED, finished_at=timezone.now()
    )
