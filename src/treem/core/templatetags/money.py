from __future__ import annotations

from django import template

from treem.core import money

register = template.Library()


@register.filter
def vnd(value: int | None) -> str:
    """300000 -> "300.000" (VND has no minor unit; Vietnamese groups thousands with a dot); nothing -> "—"."""
    if value is None or value == "":
        return "—"
    return money.vnd(int(value))
