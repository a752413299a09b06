from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "treem.support"
    label = "support"
    verbose_name = _("Support programmes")

    def ready(self) -> None:
        # The registry's child page shows the child's support history: registered here, the registry never imports us.
        from treem.finance.ledger import register_income, register_spending
        from treem.registry.panels import register_child_panel

        from . import ledger_flows
        from .panels import child_support_panel

        register_child_panel(child_support_panel)
        # Finance's ledger reads deliveries, the fund's spending and its donations from here (entered once).
        register_spending(ledger_flows.spending)
        register_income(ledger_flows.income)
