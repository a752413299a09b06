"""Reading the directory: the providers a user sees (their scope), and those a case of a commune may be referred to."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from treem.accounts import permissions as rules
from treem.accounts.scope import scope_queryset
from treem.units.models import Unit

from .models import Provider, ProviderStatus


def providers_for_user(user: Any) -> QuerySet[Provider]:
    """The providers of the units in the user's scope (their unit and below), 404 for the others."""
    return scope_queryset(user, Provider.objects.select_related("kind", "unit"))


def openable_providers(user: Any, pks: Iterable[int]) -> set[int]:
    """Of the providers `pks`, those whose page the user may open (`views.provider_detail`; one query): a page that
    names a provider out of the user's directory (the province's centre on a commune's case) links only these."""
    pks = set(pks)
    if not pks or not rules.SEE_UNITS.allows(user):
        return set()
    return set(providers_for_user(user).filter(pk__in=pks).values_list("pk", flat=True))


def referral_providers(commune: Unit) -> QuerySet[Provider]:
    """Where a case of `commune` may be referred: the open providers taking referrals that serve it, those of the
    commune and its villages and those of the units above it (the province's centre, the district's hospital)."""
    above = Q(unit_path__in=commune.ancestor_paths())
    return (
        Provider.objects.filter(Q(unit_path__path_prefix=commune.path) | above)
        .filter(status=ProviderStatus.OPEN, kind__takes_referrals=True)
        .select_related("kind", "unit")
        .order_by("kind__sort_order", "name")
    )


def linked_provider_ids(user: Any) -> list[int]:
    """The providers this user works for (receives referrals for)."""
    if not (user and user.is_authenticated and user.is_active):
        return []
    return list(Provider.objects.filter(users=user).values_list("pk", flat=True))


def opened_by(day: dt.date) -> Q:
    """Open on `day`: open now, and since `day` or earlier (since its opening date, else since it was entered)."""
    since = Q(opened_on__lte=day) | Q(opened_on__isnull=True, created_at__date__lte=day)
    return since & Q(status=ProviderStatus.OPEN)


def open_on(*, path: str, day: dt.date) -> QuerySet[Provider]:
    """The places of the unit at `path` and below it open on `day` (no user scope: the caller checks it)."""
    return Provider.objects.filter(opened_by(day), unit_path__path_prefix=path)
