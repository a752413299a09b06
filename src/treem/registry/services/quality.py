"""The facts the data-quality figures count that only the registry records: the dated household visits and the
police's answers about personal IDs (Đề án 06)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from treem.accounts.models import User
from treem.audit.models import Action
from treem.audit.services import audit_record
from treem.core.dates import today_vn

from ..models import Child, Household, HouseholdVisit, IdCheck, IdCheckOutcome
from ._common import check_can_edit


@transaction.atomic
def household_visit_record(
    *, actor: User, household: Household, on: dt.date | None = None, note: str = ""
) -> HouseholdVisit:
    """Record that the household was visited on `on` (default today); once a day (a second record that day returns
    the first). A day in the future is refused."""
    check_can_edit(actor, household.village or household.commune)
    day = on or today_vn()
    if day > today_vn():
        raise ValidationError({"visited_on": _("A visit cannot be in the future.")})
    visit, created = HouseholdVisit.objects.get_or_create(
        household=household, visited_on=day, defaults={"visited_by": actor, "note": note[:300]}
    )
    if created:
        audit_record(
            actor=actor, action=Action.CREATE, target_type="household_visit", target_id=household.pk,
            unit_path=household.unit_path, summary=f"Ghi nhận thăm hộ gia đình ngày {day:%d/%m/%Y}",
        )  # fmt: skip
    return visit


@transaction.atomic
def id_check_record(
    *, actor: User, child: Child, outcome: str, on: dt.date | None = None, personal_id: str = "", note: str = ""
) -> IdCheck:
    """Keep one answer of the police about the child's personal ID (verified, corrected or not found), dated `on`
    (default today). The child's record itself is changed by `child_update` (a correction, the verified day)."""
    check_can_edit(actor, child.village or child.commune)
    if outcome not in IdCheckOutcome.values:
        raise ValidationError(_("Unknown answer."))
    return IdCheck.objects.create(
        child=child, outcome=outcome, checked_on=on or today_vn(), personal_id=(personal_id or "")[:12],
        note=note[:300], recorded_by=actor,
    )  # fmt: skip
