"""Allocations: who may record them (scope, capability), what is refused, and the audit row."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from treem.accounts import roles
from treem.audit.models import AuditEvent
from treem.core.dates import today_vn
from treem.finance import services
from treem.finance.models import Allocation, FundingSource

D = dt.date


def data(**kw) -> services.AllocationInput:  # noqa: ANN003
    values = {
        "year": 2025, "source": FundingSource.objects.get(code="province"), "amount": 20_000_000,
        "purpose": "Tháng hành động vì trẻ em", "decision_no": "123/QĐ-UBND", "decision_date": D(2025, 3, 1),
    }  # fmt: skip
    return services.AllocationInput(**{**values, **kw})


def test_record_change_delete_with_audit(tree, officer):
    a = services.allocation_create(actor=officer, unit=tree.commune, data=data())
    assert (a.unit_path, a.amount, a.created_by) == (tree.commune.path, 20_000_000, officer)
    services.allocation_update(actor=officer, allocation=a, data=data(amount=25_000_000, purpose="  Sửa  "))
    a.refresh_from_db()
    assert (a.amount, a.purpose) == (25_000_000, "Sửa")
    services.allocation_delete(actor=officer, allocation=a)
    assert not Allocation.objects.exists()
    events = AuditEvent.objects.filter(target_type="finance_allocation", target_id=str(a.pk)).order_by("pk")
    assert [e.action for e in events] == ["create", "change", "change"]
    assert all(e.unit_path == tree.commune.path for e in events)
    assert "25.000.000" in events[1].summary


def test_scope_and_rights(tree, officer, sibling_officer, viewer, make_user):
    with pytest.raises(PermissionDenied):
        services.allocation_create(actor=sibling_officer, unit=tree.commune, data=data())
    with pytest.raises(PermissionDenied):  # sees the money, does not record it
        services.allocation_create(actor=make_user(roles.COMMUNE_CHAIRMAN, tree.commune), unit=tree.commune,
                                   data=data())  # fmt: skip
    a = services.allocation_create(actor=viewer, unit=tree.commune, data=data())  # the province, for a commune
    with pytest.raises(PermissionDenied):
        services.allocation_update(actor=sibling_officer, allocation=a, data=data(amount=1))
    with pytest.raises(PermissionDenied):
        services.allocation_delete(actor=sibling_officer, allocation=a)
    with pytest.raises(PermissionDenied):  # a commune does not record the province's money
        services.allocation_create(actor=officer, unit=tree.province, data=data())
    assert Allocation.objects.get().amount == 20_000_000


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"year": 1999}, "year"),
        ({"year": today_vn().year + 2}, "year"),
        ({"amount": 0}, "amount"),
        ({"amount": 10**12 + 1}, "amount"),
        ({"purpose": "   "}, "purpose"),
        ({"decision_date": today_vn() + dt.timedelta(days=1)}, "decision_date"),
        ({"decision_no": " "}, "decision_no"),
    ],
)
def test_refused(tree, officer, change, field):  # noqa: ANN001
    with pytest.raises(ValidationError) as exc:
        services.allocation_create(actor=officer, unit=tree.commune, data=data(**change))
    assert field in exc.value.message_dict
    assert not Allocation.objects.exists()


def test_the_fund_is_not_allocated_here_and_an_old_source_stays_only_where_it_was(tree, officer):
    fund = FundingSource.objects.get(code="fund")
    with pytest.raises(ValidationError) as exc:  # its income is its donations (support): it would count twice
        services.allocation_create(actor=officer, unit=tree.commune, data=data(source=fund))
    assert "source" in exc.value.message_dict
    other = FundingSource.objects.get(code="other")
    a = services.allocation_create(actor=officer, unit=tree.commune, data=data(source=other))
    FundingSource.objects.filter(pk=other.pk).update(is_active=False)
    other.refresh_from_db()
    with pytest.raises(ValidationError):
        services.allocation_create(actor=officer, unit=tree.commune, data=data(source=other))
    services.allocation_update(actor=officer, allocation=a, data=data(source=other, amount=5))
    assert Allocation.objects.get().amount == 5
