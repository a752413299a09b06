"""Reads of finance: a unit's allocations (scoped), the source of the Child Protection Fund."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from treem.accounts.scope import scope_queryset
from treem.units.models import Unit

from .models import Allocation, FundingSource, SourceKind


def fund_source() -> FundingSource | None:
    """The shared source that stands for the Child Protection Fund (the first active one of kind `fund`)."""
    return FundingSource.objects.filter(kind=SourceKind.FUND, is_active=True).first()


def allocations(user: Any, *, unit: Unit, year: int | None = None) -> QuerySet[Allocation]:
    """The allocations of `unit` and below that the user may see (nothing when `unit` is out of scope)."""
    qs = scope_queryset(user, Allocation.objects.select_related("unit", "source"), within=unit)
    return qs.filter(year=year) if year is not None else qs
