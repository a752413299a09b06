from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "treem.activities"
    label = "activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        from treem.core.panels import STAFF_WORKER, register_panel
        from treem.finance.ledger import register_spending
        from treem.indicators.computations import register
        from treem.reporting.sections import register_section

        from .computations import computations
        from .ledger import activity_costs
        from .panels import training_panel
        from .report import activities_section

        register_spending(activity_costs)
        register_section(activities_section)
        register_panel(STAFF_WORKER, training_panel, order=10)
        for computation in computations():
            register(computation)
        post_migrate.connect(_load_types, sender=self)


def _load_types(using: str = "default", **_kwargs: Any) -> None:
    """After every migrate: the shipped activity types, where rows are missing (an administrator's edits stay)."""
    from .kinds import types_sync

    types_sync(using=using)
