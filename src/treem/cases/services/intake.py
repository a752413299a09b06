"""Intake (Mẫu 01): a new case, its number, the recording worker assigned, the clocks started."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from treem.accounts import capabilities as cap
from treem.accounts.models import User
from treem.accounts.scope import unit_in_scope
from treem.audit.models import Action
from treem.registry.models import Child
from treem.units.models import Level, Unit

from .. import clocks
from ..models import (
    INTAKE_FAMILY_FIELDS,
    AbuseForm,
    Case,
    CaseEvent,
    Category,
    EventKind,
    Status,
)
from ..notifications import needs_rapid_report
from .alerts import rapid_alert
from .common import audit_case


def _next_code(commune: Unit, year: int) -> str:
    prefix = f"{commune.code}-{year}-"
    n = Case.objects.filter(code__startswith=prefix).count() + 1
    return f"{prefix}{n:04d}"


@transaction.atomic
def case_open(
    *,
    actor: User,
    commune: Unit,
    intake_at: dt.datetime,
    channel: str,
    category: str,
    description: str,
    child: Child | None = None,
    child_name: str = "",
    child_sex: str = "",
    child_age_estimate: int | None = None,
    abuse_forms: list[str] | None = None,
    setting: str = "",
    abuser_relation: str = "",
    in_danger: bool = False,
    serious: bool = False,
    informant_consents: bool = False,
    informant_name: str = "",
    informant_contact: str = "",
    family: dict[str, Any] | None = None,
    helpline_ref: str = "",
    request: Any = None,
) -> Case:
    """Record an intake (Mẫu 01). The recording worker is assigned; the legal clocks start."""
    if not (actor.has_capability(cap.CASES_EDIT) and unit_in_scope(actor, commune)):
        raise PermissionDenied(_("You may not record cases for this unit."))
    if commune.level != Level.COMMUNE:
        raise ValidationError({"commune": _("A case belongs to the commune where it happened.")})
    if child is not None and not child.unit_path.startswith(commune.path) and not unit_in_scope(actor, child.commune):
        raise ValidationError({"child": _("This child is not in your registry.")})
    if intake_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"intake_at": _("The intake time is in the future.")})
    forms = sorted(set(abuse_forms or []))
    unknown = set(forms) - set(AbuseForm.values)
    if unknown:
        raise ValidationError({"abuse_forms": _("Unknown form of abuse.")})
    if category == Category.ABUSED and not forms:
        raise ValidationError({"abuse_forms": _("Say which form of abuse was reported.")})
    if not informant_consents:
        informant_name = informant_contact = ""  # kept only with consent (Mẫu 01)
    case = Case(
        code=_next_code(commune, intake_at.year), commune=commune, unit_path=commune.path, child=child,
        child_name=child.full_name if child else child_name, child_sex=child.sex if child else child_sex,
        child_age_estimate=child_age_estimate, intake_at=intake_at, channel=channel, category=category,
        abuse_forms=forms, setting=setting, description=description, abuser_relation=abuser_relation,
        in_danger=in_danger, serious=serious, informant_consents=informant_consents, informant_name=informant_name,
        informant_contact=informant_contact, helpline_ref=helpline_ref.strip()[:40], status=Status.INTAKE,
        status_changed_at=intake_at, created_by=actor,
        **_intake_family(family),
    )  # fmt: skip
    case.full_clean(exclude=["workers"])
    case.save()
    case.workers.add(actor)
    CaseEvent.objects.create(case=case, kind=EventKind.TRANSITION, to_status=Status.INTAKE, at=intake_at, by=actor)
    clocks.on_event(case, Status.INTAKE, intake_at)
    audit_case(actor, case, Action.CREATE, f"Tiếp nhận vụ việc {case.code}", request)
    if needs_rapid_report(case):  # the province's rule (RapidReportRule)
        rapid_alert(case)
    return case


def _intake_family(family: dict[str, Any] | None) -> dict[str, Any]:
    family = family or {}
    unknown = set(family) - set(INTAKE_FAMILY_FIELDS)
    if unknown:
        raise ValueError(f"unknown intake fields: {sorted(unknown)}")
    out: dict[str, Any] = {}
    for name in INTAKE_FAMILY_FIELDS:
        value = family.get(name)
        if name.endswith("_age"):
            out[name] = value if value not in ("", None) else None
        else:
            out[name] = (value or "").strip()
    return out
