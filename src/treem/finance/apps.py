from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "treem.finance"
    label = "finance"
    verbose_name = _("Budget and spending")

    def ready(self) -> None:
        post_migrate.connect(_load_sources, sender=self)


def _load_sources(using: str = "default", **_kwargs: Any) -> None:
    """After every migrate (and every flush of a test database): the shipped sources of funds that are missing."""
    if using != "default":
        return
    from .services import sources_sync

    sources_sync()
