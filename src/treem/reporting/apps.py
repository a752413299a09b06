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
        _register_sections()


def _register_sections() -> None:
    """The report's sections from the apps below (after "activities this period", which activities registers):
    budget, staffing, directory and referrals, data quality. They never import reporting: reporting imports them."""
    from treem.cases.report import directory_section
    from treem.finance.report import budget_section
    from treem.quality.report import quality_section
    from treem.staff.report import staffing_section

    from .sections import register_section

    for provider in (budget_section, staffing_section, directory_section, quality_section):
        register_section(provider)


def _load_definitions(using: str = "default", **_kwargs: Any) -> None:
    """After every migrate: the shipped report types and their deadlines, where rows are missing."""
    from .definitions import sync

    sync(using=using)
