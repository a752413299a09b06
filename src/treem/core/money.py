"""Money as Vietnamese write it: whole đồng, thousands grouped with dots ("50.000.000")."""

from __future__ import annotations

__all__ = ["vnd"]


def vnd(amount: int) -> str:
    """50000000 -> "50.000.000" (VND has no minor unit; Vietnamese groups thousands with a dot)."""
    return f"{amount:,}".replace(",", ".")
