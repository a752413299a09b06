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
        # The roster and the directory rank below the indicators and never import them: their computations (of the
        # shape `computations.Computation`) are registered from here.
        from treem.directory.computations import COMMUNES_WITH_PLAY_SPOT
        from treem.staff.computations import COMPUTATIONS as STAFF

        from .computations import register

        for computation in (*STAFF, COMMUNES_WITH_PLAY_SPOT):
            register(computation)
        post_migrate.connect(_load_definitions, sender=self)


def _load_definitions(using: str = "default", **_kwargs: Any) -> None:
    """After every migrate: the shipped indicator set, where rows are missing (an administrator's edits stay)."""
    from .definitions import sync

    sync(using=using)
