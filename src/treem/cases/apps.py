from __future__ import annotations

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "treem.cases"
    label = "cases"
