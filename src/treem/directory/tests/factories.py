"""Providers for tests: one in a unit, of a kind by code."""

from __future__ import annotations

from typing import Any

from treem.directory.models import Provider, ProviderKind
from treem.units.models import Unit


def make_provider(unit: Unit, kind: str = "social_work_centre", name: str = "", **fields: Any) -> Provider:
    return Provider.objects.create(
        kind=ProviderKind.objects.get(code=kind), unit=unit, unit_path=unit.path,
        name=name or f"{ProviderKind.objects.get(code=kind).name_vi} {unit.name}", **fields,
    )  # fmt: skip
