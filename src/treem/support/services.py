"""Writes of support programmes: rounds, their lists (generate, review, approve), deliveries, the fund.

Every write checks who may make it (the registry's edit right in scope; approval is the chairman's `plans.approve`),
runs in one transaction and writes its audit row in it. A child is on a round's list once and receives once: the
database holds both rules (`support_beneficiary_once_per_round`, one delivery per list row) and a second attempt is
refused with a message in Vietnamese.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from treem.accounts import capabilities as cap
from treem.accounts.models import User
from treem.accounts.scope import unit_in_scope
from treem.audit.models import Action
from treem.audit.services import audit_record
from treem.core.dates import today_vn
from treem.core.money import vnd
from treem.registry.models import Child
from treem.units.models import Unit

from . import selectors
from .disaster_selectors import MANAGE_DISASTERS
from .models import (
    AffectedChild,
    AffectedStatus,
    Beneficiary,
    BeneficiaryStatus,
    Delivery,
    Disaster,
    Donation,
    FundSpending,
    Programme,
    Round,
    RoundStatus,
)

MAX_VALUE = 10**12  # VND: anything above is a typing mistake
_TWICE = gettext_lazy("This child is already on this round's list.")
_ELSEWHERE = gettext_lazy("This child is already on another list of this programme for the same date.")


def _check(actor: User, capability: str, unit: Unit) -> None:
    if not (actor.has_capability(capability) and unit_in_scope(actor, unit)):
        raise PermissionDenied(_("You may not manage support for this unit."))


def _check_manager(actor: User, round_: Round) -> None:
    """Who prepares a round's list: a registry editor of the unit; for a relief round, the event's managers too."""
    if round_.disaster_id and MANAGE_DISASTERS.allows(actor) and unit_in_scope(actor, round_.unit):
        return
    _check(actor, cap.REGISTRY_EDIT, round_.unit)


def relief_candidates(round_: Round) -> list[selectors.Candidate]:
    """The relief round's list: the children confirmed affected by its event, where they lived during it, within the
    round's unit. The reason is the event and the child's needs."""
    rows = (
        AffectedChild.objects.filter(
            disaster_id=round_.disaster_id or 0, status=AffectedStatus.CONFIRMED,
            unit_path__path_prefix=round_.unit_path, child__merged_into__isnull=True,
        )
        .select_related("child", "commune", "village", "disaster")
        .prefetch_related("needs")
        .order_by("unit_path", "child__name_key", "child__date_of_birth", "child_id")
    )  # fmt: skip
    out = []
    for row in rows:
        needs = ", ".join(n.name_vi for n in row.needs.all())
        reason = f"Bị ảnh hưởng: {row.disaster.name}" + (f" (cần: {needs})" if needs else "")
        out.append(selectors.Candidate(row.child, row.commune, row.village, row.unit_path, (), reason))
    return out


def _check_draft(round_: Round) -> None:
    if round_.status != RoundStatus.DRAFT:
        raise ValidationError(_("The list is approved: it can no longer be changed."))


def _audit(actor: User, action: str, round_: Round, summary: str, **extra: object) -> None:
    audit_record(
        actor=actor, action=action, target_type="support_round", target_id=round_.pk, unit_path=round_.unit_path,
        summary=summary, extra={"programme": round_.programme.code, **extra},
    )  # fmt: skip


def _money(value: int | None, field: str) -> int | None:
    if value is not None and not 0 <= value <= MAX_VALUE:
        raise ValidationError({field: _("Enter an amount in đồng from 0 to 1,000,000,000,000.")})
    return value


@transaction.atomic
def round_create(
    *, actor: User, programme: Programme, unit: Unit, on: dt.date, name: str = "", item: str = "",
    value: int | None = None, disaster: Disaster | None = None,
) -> Round:  # fmt: skip
    """A draft round of `programme` for `unit` and below on `on` (the list is generated next). With `disaster`: a
    relief round of the event, whose list is the event's confirmed affected children in the unit."""
    if disaster is None:
        _check(actor, cap.REGISTRY_EDIT, unit)
    elif not (MANAGE_DISASTERS.allows(actor) and unit_in_scope(actor, unit)):
        raise PermissionDenied(_("You may not manage support for this unit."))
    if not programme.is_active:
        raise ValidationError(_("This programme is no longer active."))
    if disaster is not None and not unit.path.startswith(disaster.unit_path):
        raise ValidationError({"unit": _("A relief round is for the unit that declared the event or one below it.")})
    if disaster is not None and on < disaster.started_on:
        raise ValidationError({"on": _("A relief round cannot be dated before the event.")})
    if Round.objects.filter(programme=programme, unit=unit, on=on).exists():
        raise ValidationError(_("This programme already has a round for this unit on this date."))
    round_ = Round(
        programme=programme, unit=unit, unit_path=unit.path, on=on, created_by=actor,
        name=(name.strip() or f"{programme.name_vi} – {unit.name} – {on:%d/%m/%Y}")[:200],
        item=(item.strip() or programme.default_item)[:200],
        value=_money(value if value is not None else programme.default_value, "value"), disaster=disaster,
    )  # fmt: skip
    round_.save()
    _audit(actor, Action.CREATE, round_, f"Tạo đợt hỗ trợ {round_.name}")
    return round_


@dataclass(frozen=True, slots=True)
class Generated:
    added: int
    removed: int
    kept: int  # rows a person decided on (added by hand, excluded) that generating leaves alone
    elsewhere: int  # eligible, but already on another list of the programme for the same date


@transaction.atomic
def round_generate(*, actor: User, round_: Round) -> Generated:
    """(Re)build a draft round's list from the programme's rules: the proposed rows the rules made are replaced;
    rows added by hand and exclusions stay. A child already on another list of the same programme on the same date
    (a village's list inside the commune's) is not added twice."""
    round_ = Round.objects.select_for_update().select_related("programme", "unit").get(pk=round_.pk)
    _check_manager(actor, round_)
    _check_draft(round_)
    if round_.disaster_id:  # a relief round: the event's confirmed affected children, not the programme's rules
        candidates = relief_candidates(round_)
    else:
        candidates = selectors.eligible(round_.programme, round_.unit, round_.on)
    stale = round_.beneficiaries.filter(status=BeneficiaryStatus.PROPOSED, manual=False)
    removed = stale.count()
    stale.delete()
    kept_ids = set(round_.beneficiaries.values_list("child_id", flat=True))
    elsewhere_ids = set(
        Beneficiary.objects.filter(round__programme=round_.programme, round__on=round_.on)
        .exclude(round=round_)
        .exclude(status=BeneficiaryStatus.EXCLUDED)
        .values_list("child_id", flat=True)
    )
    rows = [
        Beneficiary(
            round=round_,
            programme=round_.programme,
            on=round_.on,
            child=c.child,
            commune=c.commune,
            village=c.village,
            unit_path=c.unit_path,
            groups=";".join(c.groups),
            reason=c.reason[:300],
            added_by=actor,
        )  # fmt: skip
        for c in candidates
        if c.child.pk not in kept_ids and c.child.pk not in elsewhere_ids
    ]
    try:
        with transaction.atomic():
            Beneficiary.objects.bulk_create(rows)
    except IntegrityError as exc:  # another list of the programme took a child at the same moment
        raise ValidationError(_ELSEWHERE) from exc
    round_.generated_at = timezone.now()
    round_.save(update_fields=["generated_at"])
    result = Generated(len(rows), removed, len(kept_ids), len({c.child.pk for c in candidates} & elsewhere_ids))
    _audit(
        actor, Action.CHANGE, round_, f"Lập danh sách theo tiêu chí: {result.added} trẻ",
        added=result.added, removed=result.removed, kept=result.kept, elsewhere=result.elsewhere,
    )  # fmt: skip
    return result


def _locked_row(beneficiary: Beneficiary) -> Beneficiary:
    return (
        Beneficiary.objects.select_for_update()
        .select_related("round__programme", "round__unit", "child")
        .get(pk=beneficiary.pk)
    )


@transaction.atomic
def beneficiary_exclude(*, actor: User, beneficiary: Beneficiary, reason: str) -> Beneficiary:
    """Take a child off a draft list, saying why (the row stays, marked excluded, so the decision is kept)."""
    row = _locked_row(beneficiary)
    _check_manager(actor, row.round)
    _check_draft(row.round)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the child is excluded.")})
    row.status, row.exclusion_reason = BeneficiaryStatus.EXCLUDED, reason.strip()[:300]
    row.save(update_fields=["status", "exclusion_reason", "updated_at"])
    _audit(actor, Action.CHANGE, row.round, f"Loại khỏi danh sách: trẻ #{row.child_id}", child=row.child_id,
           reason=row.exclusion_reason)  # fmt: skip
    return row


@transaction.atomic
def beneficiary_restore(*, actor: User, beneficiary: Beneficiary) -> Beneficiary:
    """Put an excluded child back on a draft list."""
    row = _locked_row(beneficiary)
    _check_manager(actor, row.round)
    _check_draft(row.round)
    row.status, row.exclusion_reason = BeneficiaryStatus.PROPOSED, ""
    try:
        with transaction.atomic():
            row.save(update_fields=["status", "exclusion_reason", "updated_at"])
    except IntegrityError as exc:  # listed meanwhile on another list of the programme for the date
        raise ValidationError(_ELSEWHERE) from exc
    _audit(actor, Action.CHANGE, row.round, f"Đưa lại vào danh sách: trẻ #{row.child_id}", child=row.child_id)
    return row


@transaction.atomic
def beneficiary_add(*, actor: User, round_: Round, child: Child, reason: str) -> Beneficiary:
    """Add a child to a draft list by hand, saying why (a child the rules do not find: no date of birth yet, a group
    not yet recorded…). The child must have lived in the round's unit on its date."""
    round_ = Round.objects.select_for_update().select_related("programme", "unit").get(pk=round_.pk)
    _check_manager(actor, round_)
    _check_draft(round_)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the child is added.")})
    residence = selectors.residence_on(child, round_.on)
    if child.merged_into_id or residence is None or not residence.unit_path.startswith(round_.unit_path):
        raise ValidationError(_("The child did not live in %(unit)s on %(day)s.") % {
            "unit": round_.unit.name, "day": f"{round_.on:%d/%m/%Y}"})  # fmt: skip
    if round_.beneficiaries.filter(child=child).exists():
        raise ValidationError(_TWICE)
    elsewhere = Beneficiary.objects.filter(child=child, round__programme=round_.programme, round__on=round_.on)
    if elsewhere.exclude(round=round_).exclude(status=BeneficiaryStatus.EXCLUDED).exists():
        raise ValidationError(_ELSEWHERE)
    row = Beneficiary(
        round=round_, child=child, commune=residence.commune, village=residence.village,
        unit_path=residence.unit_path, groups=";".join(selectors.shown_groups(child, round_.on)),
        reason=reason.strip()[:300], manual=True, added_by=actor,
    )  # fmt: skip
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:  # the same child added at the same moment by someone else, here or on another list
        raise ValidationError(_ELSEWHERE if elsewhere.exclude(round=round_).exists() else _TWICE) from exc
    _audit(actor, Action.CHANGE, round_, f"Thêm vào danh sách: trẻ #{child.pk}", child=child.pk, reason=row.reason)
    return row


@transaction.atomic
def round_approve(*, actor: User, round_: Round) -> Round:
    """The chairman approves the list: every proposed child becomes approved; the list is then fixed."""
    round_ = Round.objects.select_for_update().select_related("programme", "unit").get(pk=round_.pk)
    _check(actor, cap.PLANS_APPROVE, round_.unit)
    _check_draft(round_)
    proposed = round_.beneficiaries.filter(status=BeneficiaryStatus.PROPOSED)
    if not proposed.exists():
        raise ValidationError(_("The list is empty: generate it or add children first."))
    n = proposed.update(status=BeneficiaryStatus.APPROVED, updated_at=timezone.now())
    round_.status, round_.approved_by, round_.approved_at = RoundStatus.APPROVED, actor, timezone.now()
    round_.save(update_fields=["status", "approved_by", "approved_at"])
    _audit(actor, Action.TRANSITION, round_, f"Phê duyệt danh sách: {n} trẻ", approved=n)
    return round_


@dataclass(frozen=True, slots=True)
class DeliveryInput:
    item: str
    value: int
    delivered_on: dt.date
    delivered_by: str
    note: str = ""


def _validate_delivery(data: DeliveryInput) -> None:
    errors: dict[str, str] = {}
    if not data.item.strip():
        errors["item"] = _("Say what was given.")
    if not data.delivered_by.strip():
        errors["delivered_by"] = _("Say who delivered it.")
    if data.delivered_on > today_vn():
        errors["delivered_on"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    _money(data.value, "value")


_RECEIVED = gettext_lazy("This child has already received support from this round.")


def _delivery(actor: User, row: Beneficiary, data: DeliveryInput) -> Delivery:
    return Delivery(
        beneficiary=row, unit_path=row.unit_path, item=data.item.strip()[:200], value=data.value,
        delivered_on=data.delivered_on, delivered_by=data.delivered_by.strip()[:200], note=data.note.strip()[:300],
        recorded_by=actor,
    )  # fmt: skip


def _save_deliveries(actor: User, round_: Round, deliveries: list[Delivery], data: DeliveryInput) -> None:
    """Insert the deliveries (one per list row: a second is refused) and, when the programme is paid from the Child
    Protection Fund, the fund's spending for each."""
    try:
        with transaction.atomic():
            Delivery.objects.bulk_create(deliveries)
    except IntegrityError as exc:  # recorded at the same moment by someone else
        raise ValidationError(_RECEIVED) from exc
    programme = round_.programme
    if programme.paid_from_fund and data.value > 0:
        FundSpending.objects.bulk_create(
            FundSpending(
                unit=round_.unit,
                unit_path=round_.unit_path,
                amount=data.value,
                spent_on=data.delivered_on,
                purpose=f"{programme.name_vi}: {d.beneficiary.child.full_name}"[:300],
                delivery=d,
                recorded_by=actor,
            )  # fmt: skip
            for d in deliveries
        )


@transaction.atomic
def delivery_record(*, actor: User, beneficiary: Beneficiary, data: DeliveryInput) -> Delivery:
    """What a child of an approved list received, when and from whom. Paid from the Child Protection Fund (the
    programme's source of funds), it is the fund's spending too."""
    row = _locked_row(beneficiary)
    _check_manager(actor, row.round)
    _validate_delivery(data)
    if row.status != BeneficiaryStatus.APPROVED:
        raise ValidationError(_("Only a child on an approved list can receive support."))
    if Delivery.objects.filter(beneficiary=row).exists():
        raise ValidationError(_RECEIVED)
    delivery = _delivery(actor, row, data)
    _save_deliveries(actor, row.round, [delivery], data)
    _audit(actor, Action.CREATE, row.round, f"Ghi nhận trao hỗ trợ: trẻ #{row.child_id}", child=row.child_id,
           value=data.value)  # fmt: skip
    return delivery


@transaction.atomic
def deliveries_record_all(*, actor: User, round_: Round, data: DeliveryInput) -> int:
    """The same delivery for every approved child of the round who has not received yet (a gift handed out at one
    ceremony), in a few queries whatever the list's length. Returns how many were recorded."""
    round_ = Round.objects.select_for_update().select_related("programme", "unit").get(pk=round_.pk)
    _check_manager(actor, round_)
    _validate_delivery(data)
    if round_.status != RoundStatus.APPROVED:
        raise ValidationError(_("Only a child on an approved list can receive support."))
    rows = round_.beneficiaries.filter(status=BeneficiaryStatus.APPROVED, delivery__isnull=True).select_related("child")
    deliveries = [_delivery(actor, row, data) for row in rows]
    _save_deliveries(actor, round_, deliveries, data)
    n = len(deliveries)
    _audit(actor, Action.CREATE, round_, f"Ghi nhận trao hỗ trợ cho {n} trẻ", delivered=n, value=data.value)
    return n


# --- the Child Protection Fund ------------------------------------------------------------------------------------


@transaction.atomic
def donation_record(
    *, actor: User, unit: Unit, donor: str, amount: int, received_on: dt.date, note: str = ""
) -> Donation:
    _check(actor, cap.REGISTRY_EDIT, unit)
    errors: dict[str, str] = {}
    if not donor.strip():
        errors["donor"] = _("Say who gave it.")
    if not 0 < amount <= MAX_VALUE:
        errors["amount"] = _("Enter an amount in đồng from 1 to 1,000,000,000,000.")
    if received_on > today_vn():
        errors["received_on"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    donation = Donation.objects.create(
        unit=unit, unit_path=unit.path, donor=donor.strip()[:200], amount=amount, received_on=received_on,
        note=note.strip()[:300], recorded_by=actor,
    )  # fmt: skip
    audit_record(
        actor=actor, action=Action.CREATE, target_type="support_donation", target_id=donation.pk,
        unit_path=unit.path, summary=f"Quỹ Bảo trợ trẻ em nhận ủng hộ: {vnd(amount)} đồng",
    )  # fmt: skip
    return donation


@transaction.atomic
def fund_spend(*, actor: User, unit: Unit, amount: int, spent_on: dt.date, purpose: str) -> FundSpending:
    """Spending of the fund that is not a delivery of a programme (those are recorded with the delivery)."""
    _check(actor, cap.REGISTRY_EDIT, unit)
    errors: dict[str, str] = {}
    if not purpose.strip():
        errors["purpose"] = _("Say what it was spent on.")
    if not 0 < amount <= MAX_VALUE:
        errors["amount"] = _("Enter an amount in đồng from 1 to 1,000,000,000,000.")
    if spent_on > today_vn():
        errors["spent_on"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    spending = FundSpending.objects.create(
        unit=unit, unit_path=unit.path, amount=amount, spent_on=spent_on, purpose=purpose.strip()[:300],
        recorded_by=actor,
    )  # fmt: skip
    audit_record(
        actor=actor, action=Action.CREATE, target_type="support_spending", target_id=spending.pk,
        unit_path=unit.path, summary=f"Quỹ Bảo trợ trẻ em chi: {vnd(amount)} đồng",
    )  # fmt: skip
    return spending
