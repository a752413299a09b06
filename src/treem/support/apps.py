from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "treem.support"
    label = "support"
    verbose_name = _("Support programmes")

    def ready(self) -> None:
        post_migrate.connect(_load_reference, sender=self)
        # The registry's child page shows the child's support history: registered here, the registry never imports us.
        from treem.finance.ledger import register_income, register_spending
        from treem.registry.panels import register_child_panel

        from . import ledger_flows
        from .panels import child_support_panel

        register_child_panel(child_support_panel)
        # Finance's ledger reads deliveries, the fund's spending and its donations from here (entered once).
        register_spending(ledger_flows.spending)
        register_income(ledger_flows.income)


def _load_reference(using: str = "default", **_kwargs: Any) -> None:
    """After every migrate (and every flush of a test database): the shipped programmes, disaster and need kinds that
    are missing (a programme's source needs finance's sources first)."""
    if using != "default":
        return
    from treem.finance.services import sources_sync

    from .reference import disaster_reference_sync, programmes_sync

    sources_sync()
    programmes_sync()
    disaster_reference_sync()
