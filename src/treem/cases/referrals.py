"""A case referred to a provider of the directory (a service or a referral, NĐ 56 Art. 28–29), and the provider's
acknowledgement.

Referring gives case information outside the case team, so it is a disclosure with its consents (Luật Trẻ em Art.
6.11, `disclosures.disclosure_record`): what is given is written down when the referral is made (`Referral.shared`:
the child's name, year of birth and commune, the worker to contact, the summary the worker writes). The provider's
users see that and nothing else of the case, and only the referrals made to their provider (404 for any other).
The provider acknowledges on its own page; or a case worker records an acknowledgement received by phone or letter.
Every write and every read by the provider is audited in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from treem.accounts.models import User
from treem.accounts.scope import get_or_404
from treem.audit.models import Action
from treem.audit.services import audit_record
from treem.core.dates import VN_TZ, today_vn
from treem.directory.models import Provider
from treem.directory.selectors import referral_providers

from .access import can_work_on, on_case_team
from .disclosures import disclosure_record
from .models import AcknowledgedVia, Case, EventKind, Referral
from .services.common import audit_case
from .services.events import case_add_event


def providers_for_case(case: Case) -> QuerySet[Provider]:
    """The providers this case may be referred to (open, taking referrals, serving its commune)."""
    return referral_providers(case.commune)


def _shared(actor: User, case: Case, summary: str) -> dict[str, Any]:
    child = case.child
    return {
        "child_name": child.full_name if child else case.child_name,
        "birth_year": child.date_of_birth.year if child and child.date_of_birth else None,
        "commune": case.commune.name,
        "worker": actor.get_full_name() or actor.username,
        "worker_phone": actor.phone,
        "summary": summary,
    }


@transaction.atomic
def referral_make(
    *, actor: User, case: Case, provider: Provider, referred_on: dt.date, service: str, summary: str,
    parent_consent_name: str, parent_consent_on: dt.date | None, child_consent_on: dt.date | None = None,
    request: Any = None,
) -> Referral:  # fmt: skip
    """Refer the case to a provider: a service event on the case, the disclosure with its consents, and what the
    provider will see. Only the case's assigned workers refer, while the case is open."""
    if not can_work_on(actor, case):
        raise PermissionDenied(_("Only the case's assigned workers refer it to a provider."))
    service, summary = service.strip(), summary.strip()
    errors: dict[str, str] = {}
    if not case.is_open:
        raise ValidationError(_("The case is closed."))
    if not providers_for_case(case).filter(pk=provider.pk).exists():
        errors["provider"] = _("This provider does not take referrals for this commune.")
    if not service:
        errors["service"] = _("Say which service is asked for.")
    if referred_on > today_vn():
        errors["referred_on"] = _("The date is in the future.")
    if errors:
        raise ValidationError(errors)
    disclosure = disclosure_record(
        actor=actor, case=case, recipient=f"{provider.name} ({provider.kind.name_vi})"[:200],
        purpose=f"Chuyển gửi: {service}",
        disclosed_on=referred_on, parent_consent_name=parent_consent_name, parent_consent_on=parent_consent_on,
        child_consent_on=child_consent_on, request=request,
    )  # fmt: skip
    at = timezone.now() if referred_on == today_vn() else dt.datetime.combine(referred_on, dt.time(12), tzinfo=VN_TZ)
    event = case_add_event(
        actor=actor, case=case, kind=EventKind.SERVICE, at=at, note=f"Chuyển gửi đến {provider.name}: {service}",
        data={"provider": provider.pk, "provider_name": provider.name, "service": service}, request=request,
    )  # fmt: skip
    return Referral.objects.create(
        case=case, unit_path=case.unit_path, provider=provider, event=event, disclosure=disclosure,
        referred_on=referred_on, service=service, shared=_shared(actor, case, summary), by=actor,
    )  # fmt: skip


def _may_acknowledge(actor: User, referral: Referral, via: str) -> bool:
    if via == AcknowledgedVia.SYSTEM:  # the provider's own user, on the provider's page
        return referral.provider.users.filter(pk=actor.pk, is_active=True).exists()
    return on_case_team(actor, referral.case)  # an acknowledgement received by phone or letter


@transaction.atomic
def referral_acknowledge(
    *, actor: User, referral: Referral, acknowledged_on: dt.date, via: str = AcknowledgedVia.SYSTEM,
    name: str = "", note: str = "", request: Any = None,
) -> Referral:  # fmt: skip
    """The provider has received the referral: by its own user in Treem, or as recorded by the case team from a
    phone call or a letter (then the person who acknowledged is named). Once only."""
    referral = Referral.objects.select_for_update().select_related("case", "provider").get(pk=referral.pk)
    if via not in AcknowledgedVia.values:
        raise ValidationError({"via": _("Unknown way of acknowledging.")})
    if not _may_acknowledge(actor, referral, via):
        raise PermissionDenied(
            _("Only the provider's users, or the case team for a phone call or letter, acknowledge.")
        )
    errors: dict[str, str] = {}
    if referral.is_acknowledged:
        raise ValidationError(_("This referral is already acknowledged."))
    if acknowledged_on > today_vn():
        errors["acknowledged_on"] = _("The date is in the future.")
    elif acknowledged_on < referral.referred_on:
        errors["acknowledged_on"] = _("The acknowledgement cannot come before the referral.")
    name = name.strip() or (actor.get_full_name() or actor.username if via == AcknowledgedVia.SYSTEM else "")
    if not name:
        errors["name"] = _("Name the person at the provider who acknowledged.")
    if errors:
        raise ValidationError(errors)
    referral.acknowledged_on, referral.acknowledged_via = acknowledged_on, via
    referral.acknowledged_by, referral.acknowledged_name = actor, name
    referral.acknowledgement_note = note.strip()
    referral.save(update_fields=[
        "acknowledged_on", "acknowledged_via", "acknowledged_by", "acknowledged_name", "acknowledgement_note",
    ])  # fmt: skip
    audit_case(
        actor, referral.case, Action.CHANGE,
        f"{referral.provider.name} xác nhận tiếp nhận chuyển gửi vụ việc {referral.case.code} "
        f"({AcknowledgedVia(via).label}, {name})",
        request, referral=referral.pk, via=via,
    )  # fmt: skip
    return referral


# --- the provider's side: only the referrals made to the user's providers, only what they disclose ---------------


def referrals_received(user: Any) -> QuerySet[Referral]:
    """The referrals made to the providers the user is linked to (none for anyone else)."""
    if not (user and user.is_authenticated and user.is_active):
        return Referral.objects.none()
    return Referral.objects.filter(provider__users=user).select_related("provider", "provider__kind").distinct()


def referrals_received_list(user: User, *, request: Any = None) -> list[Referral]:
    """The user's inbox, audited as a list of case information given to them."""
    rows = list(referrals_received(user).order_by("acknowledged_on", "-referred_on", "-pk")[:200])
    if rows:
        audit_record(
            actor=user, action=Action.LIST, target_type="case", unit_path=rows[0].unit_path,
            target_id=",".join(str(r.case_id) for r in rows)[:40],
            summary=f"Xem danh sách {len(rows)} chuyển gửi đến cơ sở", request=request,
            extra={"referrals": [r.pk for r in rows]},
        )  # fmt: skip
    return rows


def referral_received_get(user: User, pk: int, *, request: Any = None) -> Referral:
    """One referral made to the user's provider, or 404 (the same answer for any other); the read is audited."""
    referral = get_or_404(referrals_received(user), pk=pk)
    audit_record(
        actor=user, action=Action.VIEW, target_type="case", target_id=referral.case_id, unit_path=referral.unit_path,
        summary=f"Cơ sở {referral.provider.name} xem thông tin chuyển gửi", request=request,
        extra={"referral": referral.pk},
    )  # fmt: skip
    return referral
