from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "treem.dashboards"
    label = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self) -> None:
        post_migrate.connect(_load_index, sender=self)


def _load_index(using: str = "default", **_kwargs: Any) -> None:
    """After every migrate: the shipped child-rights index components, where rows are missing (edits stay)."""
    from .index import sync

    sync(using=using)
