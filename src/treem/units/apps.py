from __future__ import annotations

from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "treem.units"
    label = "units"
