from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "treem.directory"
    label = "directory"
    verbose_name = _("Directory of services")

    def ready(self) -> None:
        post_migrate.connect(_load_kinds, sender=self)


def _load_kinds(using: str = "default", **_kwargs: Any) -> None:
    """After every migrate: the shipped kinds of provider, where rows are missing (an administrator's edits stay)."""
    from .kinds import kinds_sync

    kinds_sync(using=using)
