"""Writes to the directory: a provider added or changed by a keeper of the directory in whose scope it lies,
audited in the same transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from treem.accounts import capabilities as cap
from treem.accounts.models import User
from treem.accounts.scope import scope_queryset, unit_in_scope
from treem.audit.models import Action
from treem.audit.services import audit_record
from treem.units.models import Unit

from .models import Provider, ProviderKind, ProviderStatus


@dataclass(slots=True)
class ProviderInput:
    kind: ProviderKind
    unit: Unit
    name: str
    address: str = ""
    capacity: int | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    contact_name: str = ""
    phone: str = ""
    email: str = ""
    status: str = ProviderStatus.OPEN
    opened_on: dt.date | None = None
    note: str = ""
    users: list[User] = field(default_factory=list)


def can_manage(user: Any, unit: Unit) -> bool:
    return bool(user and user.has_capability(cap.DIRECTORY_MANAGE) and unit_in_scope(user, unit))


def _check(actor: User, data: ProviderInput) -> None:
    if not can_manage(actor, data.unit):
        raise PermissionDenied(_("You do not keep the directory of this unit."))
    errors: dict[str, str] = {}
    if not data.name.strip():
        errors["name"] = _("Give the name.")
    if data.status not in ProviderStatus.values:
        errors["status"] = _("Unknown status.")
    if (data.latitude is None) != (data.longitude is None):
        errors["longitude"] = _("Give both coordinates, or neither.")
    if data.latitude is not None and not Decimal(-90) <= data.latitude <= Decimal(90):
        errors["latitude"] = _("A latitude lies between -90 and 90.")
    if data.longitude is not None and not Decimal(-180) <= data.longitude <= Decimal(180):
        errors["longitude"] = _("A longitude lies between -180 and 180.")
    outside = [u for u in data.users if not scope_queryset(actor, User.objects.filter(pk=u.pk)).exists()]
    if outside:
        errors["users"] = _("Link only users of units in your scope.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def provider_save(
    *, actor: User, data: ProviderInput, provider: Provider | None = None, request: Any = None
) -> Provider:
    """Add a provider (no `provider`) or change one; the keeper must keep the directory of both the old and the
    new unit."""
    _check(actor, data)
    if provider is not None and not can_manage(actor, provider.unit):
        raise PermissionDenied(_("You do not keep the directory of this unit."))
    values = {f.name: getattr(data, f.name) for f in fields(data) if f.name != "users"}
    values["name"] = data.name.strip()
    created = provider is None
    if provider is None:
        provider = Provider(**values, unit_path=data.unit.path)
    else:
        for key, value in values.items():
            setattr(provider, key, value)
        provider.unit_path = data.unit.path
    provider.save()
    provider.users.set(data.users)
    audit_record(
        actor=actor, action=Action.CREATE if created else Action.CHANGE, target_type="provider", target_id=provider.pk,
        unit_path=provider.unit_path,
        summary=f"{'Thêm' if created else 'Sửa'} danh bạ dịch vụ: {provider.name} ({data.kind.name_vi})",
        request=request, extra={"status": provider.status, "users": [u.pk for u in data.users]},
    )  # fmt: skip
    return provider
