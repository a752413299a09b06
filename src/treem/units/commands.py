"""What the `treem` commands share about units: finding one by its official code."""

from __future__ import annotations

from django.core.management.base import CommandError

from .models import Unit

__all__ = ["unit_by_code"]


def unit_by_code(code: str, structure: str | None = None) -> Unit:
    """The unit with this official code (in `structure`, else the current structure first); a CommandError if none."""
    qs = Unit.objects.filter(code=code)
    if structure:
        qs = qs.filter(structure=structure)
    unit = qs.order_by("structure").first()  # "current" sorts before "former"; a code is unique in a structure
    if unit is None:
        raise CommandError(f"no unit with code {code!r} (see `treem units search`)")
    return unit
