from __future__ import annotations

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "treem.cases"
    label = "cases"

    def ready(self) -> None:
        # Case-derived registry circumstances are case data: the registry asks us who may see them.
        from . import visibility

        visibility.register()

        from treem.registry.services.merge import register_merge_guard

        from .merge_guard import cases_merge_guard

        register_merge_guard(cases_merge_guard)
        _register_child_panel()


def _register_child_panel() -> None:
    """The child page of the registry shows the child's cases (those the viewer may see)."""
    from treem.registry.panels import register_child_panel

    from .panels import child_case_panel

    register_child_panel(child_case_panel)
