from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "treem.finance"
    label = "finance"
    verbose_name = _("Budget and spending")
