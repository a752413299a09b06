from __future__ import annotations

from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "treem.imports"
    label = "imports"

    def ready(self) -> None:
        from treem.core.tasks import on_worker_stopped

        from .tasks import worker_stopped

        # The task worker died during a check or a commit (treem.core.tasks): the job is recovered at once, as its
        # lease running out would recover it later.
        on_worker_stopped("treem.imports.tasks.validate_job", worker_stopped)
        on_worker_stopped("treem.imports.tasks.commit_job", worker_stopped)
