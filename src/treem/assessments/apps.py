from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "treem.assessments"
    label = "assessments"
    verbose_name = _("Child-friendly communes")

    def ready(self) -> None:
        from treem.indicators.computations import register

        from .computations import COMMUNES_RECOGNISED

        register(COMMUNES_RECOGNISED)
        post_migrate.connect(_load_criteria, sender=self)


def _load_criteria(using: str = "default", **_kwargs: Any) -> None:
    """After every migrate: the shipped criteria, where rows are missing (an administrator's edits stay)."""
    from .criteria import sync

    sync(using=using)
