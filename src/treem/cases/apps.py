from __future__ import annotations

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "treem.cases"
    label = "cases"

    def ready(self) -> None:
        # Case-derived registry circumstances are case data: the registry asks us who may see them.
        from . import visibility

        visibility.register()
