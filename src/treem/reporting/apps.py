from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "treem.reporting"
    label = "reporting"
    verbose_name = _("Reports")

    def ready(self) -> None:
        post_migrate.connect(_load_definitions, sender=self)

        from treem.core.panels import DASHBOARD, register_panel

        from .dashboard import completeness_panel

        register_panel(DASHBOARD, completeness_panel, order=10)  # the dashboard's completeness panel


def _load_definitions(using: str = "default", **_kwargs: Any) -> None:
    """After every migrate: the shipped report types and their deadlines, where rows are missing."""
    from .definitions import sync

    sync(using=using)
