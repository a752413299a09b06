from __future__ import annotations

from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "treem.registry"
    label = "registry"
