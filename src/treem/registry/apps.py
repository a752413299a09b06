from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RegistryConfig(AppConfig):
    name = "treem.registry"
    label = "registry"

    def ready(self) -> None:
        post_migrate.connect(_load_reference, sender=self)


def _load_reference(using: str = "default", **_kwargs: Any) -> None:
    """After every migrate (and every flush of a test database): the shipped circumstance types and incident kinds,
    where rows are missing (an administrator's edits stay). The data migrations load them on install."""
    if using != "default":
        return
    from .reference import circumstance_types_sync, incident_kinds_sync

    circumstance_types_sync()
    incident_kinds_sync()
