from __future__ import annotations

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "treem.cases"
    label = "cases"

    def ready(self) -> None:
        from treem.registry.services.merge import register_merge_guard

        from .merge_guard import cases_merge_guard

        register_merge_guard(cases_merge_guard)
