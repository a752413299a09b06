from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "treem.core"
    label = "core"

    def ready(self) -> None:
        from . import lookups  # noqa: F401 - registers the path_prefix lookup
