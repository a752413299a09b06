"""Writes of finance: a unit's allocations (record, change, delete), checked, scoped and audited in one transaction.

The Child Protection Fund is not allocated here: its income is its donations, recorded on the fund's page (support),
and the ledger reads them from there, so the same money is never entered twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from treem.accounts import permissions as rules
from treem.accounts.models import User
from treem.accounts.scope import unit_in_scope
from treem.audit.models import Action
from treem.audit.services import audit_record
from treem.core.dates import today_vn
from treem.core.money import vnd
from treem.core.shipped import read_fixture, sync_by_code
from treem.units.models import Unit

from .models import FIRST_YEAR, MAX_AMOUNT, Allocation, FundingSource, SourceKind

SOURCES_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "sources.json"


def sources_sync() -> int:
    """Create the shipped sources of funds that are missing (as migration 0002 does; a test that flushes the database
    calls it); never overwrite an administrator's edits. Returns how many were created."""
    return sync_by_code(FundingSource, read_fixture(SOURCES_FIXTURE))


@dataclass(frozen=True, slots=True)
class AllocationInput:
    year: int
    source: FundingSource
    amount: int
    purpose: str
    decision_no: str = ""
    decision_date: dt.date | None = None


def _check(actor: User, unit: Unit) -> None:
    if not (rules.MANAGE_FINANCE.allows(actor) and unit_in_scope(actor, unit)):
        raise PermissionDenied(_("You may not record the budget of this unit."))


def _validate(data: AllocationInput, *, unchanged_source: FundingSource | None = None) -> None:
    errors: dict[str, str] = {}
    last_year = today_vn().year + 1
    if not FIRST_YEAR <= data.year <= last_year:
        errors["year"] = _("Enter a year from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": last_year}
    if data.source.kind == SourceKind.FUND:
        errors["source"] = _(
            "The Child Protection Fund's income is its donations, recorded on the fund's page: not allocated here."
        )
    elif not data.source.is_active and data.source != unchanged_source:
        errors["source"] = _("This source of funds is no longer in use.")
    if not 0 < data.amount <= MAX_AMOUNT:
        errors["amount"] = _("Enter an amount in đồng from 1 to 1,000,000,000,000.")
    if not data.purpose.strip():
        errors["purpose"] = _("Say what the money is for.")
    if data.decision_date is not None and data.decision_date > today_vn():
        errors["decision_date"] = _("The date cannot be in the future.")
    if data.decision_date is not None and not data.decision_no.strip():
        errors["decision_no"] = _("Give the number of the decision.")
    if errors:
        raise ValidationError(errors)


def _audit(actor: User, action: str, allocation: Allocation, summary: str) -> None:
    audit_record(
        actor=actor, action=action, target_type="finance_allocation", target_id=allocation.pk,
        unit_path=allocation.unit_path, summary=summary,
        extra={"year": allocation.year, "source": allocation.source.code, "amount": allocation.amount},
    )  # fmt: skip


def _apply(allocation: Allocation, data: AllocationInput) -> None:
    allocation.year = data.year
    allocation.source = data.source
    allocation.amount = data.amount
    allocation.purpose = data.purpose.strip()[:300]
    allocation.decision_no = data.decision_no.strip()[:60]
    allocation.decision_date = data.decision_date


@transaction.atomic
def allocation_create(*, actor: User, unit: Unit, data: AllocationInput) -> Allocation:
    """Money `unit` receives from a source for a year (recorded at the unit that receives it, once)."""
    _check(actor, unit)
    _validate(data)
    allocation = Allocation(unit=unit, unit_path=unit.path, created_by=actor)
    _apply(allocation, data)
    allocation.save()
    summary = f"Ghi nhận kinh phí {allocation.year} ({allocation.source.name_vi}): {vnd(allocation.amount)} đồng"
    _audit(actor, Action.CREATE, allocation, summary)
    return allocation


@transaction.atomic
def allocation_update(*, actor: User, allocation: Allocation, data: AllocationInput) -> Allocation:
    allocation = Allocation.objects.select_for_update().select_related("unit", "source").get(pk=allocation.pk)
    _check(actor, allocation.unit)
    _validate(data, unchanged_source=allocation.source)
    before = (allocation.year, allocation.source.code, allocation.amount)
    _apply(allocation, data)
    allocation.save()
    _audit(actor, Action.CHANGE, allocation,
           f"Sửa kinh phí: {before[0]} {before[1]} {vnd(before[2])} → {allocation.year} {allocation.source.code} "
           f"{vnd(allocation.amount)} đồng")  # fmt: skip
    return allocation


@transaction.atomic
def allocation_delete(*, actor: User, allocation: Allocation) -> None:
    allocation = Allocation.objects.select_for_update().select_related("unit", "source").get(pk=allocation.pk)
    _check(actor, allocation.unit)
    _audit(actor, Action.CHANGE, allocation,
           f"Xóa kinh phí {allocation.year} ({allocation.source.name_vi}): {vnd(allocation.amount)} đồng")  # fmt: skip
    allocation.delete()
