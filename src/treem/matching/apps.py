from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "treem.matching"
    label = "matching"

    def ready(self) -> None:
        from treem.imports.signals import import_committed
        from treem.registry.duplicates import register_duplicate_checker
        from treem.registry.panels import register_child_panel

        from .form_check import checker
        from .panels import child_merges_panel

        import_committed.connect(_match_after_import, dispatch_uid="matching-after-import")
        register_child_panel(child_merges_panel)  # the child page shows the merges that made the record
        register_duplicate_checker(checker)  # the child form warns of likely duplicates before saving


def _match_after_import(sender: Any, job: Any, child_ids: list[int] | None = None, **kwargs: Any) -> None:
    """Each stored import queues a matching run over the children it stored, against the whole registry (the
    duplicates it may have brought); a sender without the ids gets the run over its commune."""
    from .runs import start_after_import

    start_after_import(job.unit, child_ids)
