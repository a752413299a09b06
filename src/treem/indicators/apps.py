from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "treem.indicators"
    label = "indicators"
    verbose_name = _("Indicators")

    def ready(self) -> None:
        from treem.staff.computations import COMPUTATIONS as STAFF  # the roster ranks below: it cannot register itself

        from .computations import register

        for computation in STAFF:
            register(computation)
        post_migrate.connect(_load_definitions, sender=self)


def _load_definitions(using: str = "default", **_kwargs: Any) -> None:
    """After every migrate: the shipped indicator set, where rows are missing (an administrator's edits stay)."""
    from .definitions import sync

    sync(using=using)
