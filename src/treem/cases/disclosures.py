"""Case information given outside the case team, with the consents the law asks for.

Luật Trẻ em 2016 Art. 6.11 forbids disclosing a child's private information without the consent of the child, if
aged 7 or older, and of the parent or guardian; NĐ 56/2017 Art. 36 says the same for information put online, and
Art. 24 keeps case information confidential. A print or export of a case form handed to someone outside the case
team is therefore recorded first as a `Disclosure` (to whom, why, the consents and their dates, by whom), through
`disclosure_record`, audited in the same transaction; without the consents it is refused.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from treem.audit.models import Action
from treem.audit.services import audit_record
from treem.core.dates import today_vn

from .access import on_case_team
from .documents import FORMS
from .models import Case, Disclosure

CHILD_CONSENT_AGE = 7  # Luật Trẻ em Art. 6.11: the child's own consent from the age of 7


def child_consent_required(case: Case, day: dt.date) -> bool:
    """Required when the child is 7 or older on the day, and when the age is unknown (it may well be 7 or more)."""
    age = case.child_age_on(day)
    return age is None or age >= CHILD_CONSENT_AGE


@transaction.atomic
def disclosure_record(
    *,
    actor: Any,
    case: Case,
    recipient: str,
    purpose: str,
    disclosed_on: dt.date,
    parent_consent_name: str,
    parent_consent_on: dt.date | None,
    child_consent_on: dt.date | None = None,
    form_number: str = "",
    request: Any = None,
) -> Disclosure:
    """Record a disclosure outside the case team; refused without the parent's consent, and without the child's
    when the child is 7 or older on the day of the disclosure."""
    if not on_case_team(actor, case):
        raise PermissionDenied(_("Only the case's workers and the commune chairman give out case information."))
    errors: dict[str, str] = {}
    recipient, purpose, parent_consent_name = recipient.strip(), purpose.strip(), parent_consent_name.strip()
    if not recipient:
        errors["recipient"] = _("Say to whom the information is given.")
    if not purpose:
        errors["purpose"] = _("Say why the information is given.")
    if form_number and form_number not in FORMS:
        errors["form_number"] = _("Unknown form.")
    if disclosed_on > today_vn():
        errors["disclosed_on"] = _("The date is in the future.")
    if not parent_consent_name or parent_consent_on is None:
        errors["parent_consent_on"] = _(
            "The parent's or guardian's consent is required before disclosing a child's information (Law on "
            "Children Art. 6.11)."
        )
    elif parent_consent_on > disclosed_on:
        errors["parent_consent_on"] = _("The consent must be given on or before the day of the disclosure.")
    age = case.child_age_on(disclosed_on)
    if child_consent_required(case, disclosed_on):
        if child_consent_on is None:
            errors["child_consent_on"] = _(
                "The child is 7 or older (or of unknown age): the child's own consent is required (Law on Children "
                "Art. 6.11)."
            )
        elif child_consent_on > disclosed_on:
            errors["child_consent_on"] = _("The consent must be given on or before the day of the disclosure.")
    else:
        child_consent_on = None  # under 7: the parent's consent alone
    if errors or parent_consent_on is None:
        raise ValidationError(errors)
    disclosure = Disclosure.objects.create(
        case=case, unit_path=case.unit_path, form_number=form_number, recipient=recipient, purpose=purpose,
        disclosed_on=disclosed_on, parent_consent_name=parent_consent_name, parent_consent_on=parent_consent_on,
        child_consent_on=child_consent_on, child_age=age, by=actor,
    )  # fmt: skip
    what = (
        ("Quyết định kết thúc" if form_number == "closure" else f"Mẫu số {form_number}") if form_number else "thông tin"
    )
    audit_record(
        actor=actor, action=Action.CREATE, target_type="case", target_id=case.pk, unit_path=case.unit_path,
        summary=f"Cung cấp {what} vụ việc {case.code} cho {recipient} (có sự đồng ý)", request=request,
        extra={
            "disclosure": disclosure.pk, "recipient": recipient, "purpose": purpose,
            "parent_consent_on": parent_consent_on.isoformat() if parent_consent_on else None,
            "child_consent_on": child_consent_on.isoformat() if child_consent_on else None,
        },
    )  # fmt: skip
    return disclosure
