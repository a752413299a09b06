"""The pages: the ledger and its workbook, the allocations (record, edit, delete), scope (404) and rights (403)."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from treem.accounts import roles
from treem.audit.models import AuditEvent
from treem.finance import ledger as ledger_module
from treem.finance.models import Allocation, FundingSource


def client_for(user) -> Client:  # noqa: ANN001
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def allocated(tree):  # noqa: ANN001, ANN201
    province = FundingSource.objects.get(code="province")
    for unit, amount in ((tree.commune, 10_000_000), (tree.sibling, 4_000_000)):
        Allocation.objects.create(unit=unit, unit_path=unit.path, year=2025, source=province, amount=amount,
                                  purpose="Tháng hành động")  # fmt: skip
    return province


@pytest.fixture
def costs(monkeypatch, tree, allocated):  # noqa: ANN001, ANN201
    """One registered provider of spending (as activities will be): 3.000.000 by the province's budget."""
    monkeypatch.setattr(ledger_module, "_SPENDING", [])

    def provider(*, path, start, end):  # noqa: ANN001, ANN202
        if tree.commune.path.startswith(path):  # Khun Há and the units above it
            yield ledger_module.Flow("test.campaign", "Truyền thông", allocated.pk, 3_000_000, 2)

    ledger_module.register_spending(provider)


def test_the_ledger_page(tree, officer, costs):
    c = client_for(officer)
    page = c.get(reverse("finance:ledger"), {"year": 2025}).content.decode()
    assert "Xã Khun Há" in page
    assert "10.000.000" in page and "3.000.000" in page and "7.000.000" in page  # income, spent, balance
    assert "4.000.000" not in page  # the sibling's allocation
    assert 'data-kind="test.campaign"' in page and "Truyền thông" in page
    partial = c.get(reverse("finance:ledger"), {"year": 2025, "unit": tree.commune.pk}, HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode() and "7.000.000" in partial.content.decode()


def test_the_province_sees_the_communes_below(tree, viewer, allocated):
    page = client_for(viewer).get(reverse("finance:ledger"), {"year": 2025}).content.decode()
    assert "14.000.000" in page and 'data-testid="units-below"' in page and "Xã Bình Lư" in page


def test_scope_answers_404_and_rights_403(tree, officer, sibling_officer, make_user, allocated):
    c = client_for(sibling_officer)
    assert c.get(reverse("finance:ledger"), {"unit": tree.commune.pk}).status_code == 404
    assert c.get(reverse("finance:ledger"), {"unit": "x"}).status_code == 404
    assert c.get(reverse("finance:ledger_xlsx"), {"unit": tree.commune.pk}).status_code == 404
    assert c.get(reverse("finance:allocations"), {"unit": tree.commune.pk}).status_code == 404
    a = Allocation.objects.get(unit=tree.commune)
    assert c.get(reverse("finance:allocation_edit", args=[a.pk])).status_code == 404
    assert c.post(reverse("finance:allocation_delete", args=[a.pk])).status_code == 404
    collaborator = client_for(make_user(roles.VILLAGE_COLLABORATOR, tree.village))
    assert collaborator.get(reverse("finance:ledger")).status_code == 403
    chairman = client_for(make_user(roles.COMMUNE_CHAIRMAN, tree.commune))
    assert chairman.get(reverse("finance:ledger")).status_code == 200
    assert chairman.get(reverse("finance:allocation_edit", args=[a.pk])).status_code == 403
    response = chairman.post(reverse("finance:allocations"), {"year": 2025, "amount": 1, "purpose": "x"})
    assert response.status_code == 403
    assert Allocation.objects.count() == 2


def test_record_edit_and_delete_an_allocation(tree, officer):
    c = client_for(officer)
    url = reverse("finance:allocations")
    local = FundingSource.objects.get(code="local")
    form = {"year": 2025, "source": local.pk, "amount": 8_000_000, "purpose": "Tập huấn", "decision_no": "5/QĐ",
            "decision_date": "01/03/2025"}  # fmt: skip
    response = c.post(f"{url}?unit={tree.commune.pk}", form)
    assert response.status_code == 302 and response["Location"].endswith(f"?unit={tree.commune.pk}&year=2025")
    a = Allocation.objects.get()
    assert (a.unit, a.amount, a.decision_date.isoformat()) == (tree.commune, 8_000_000, "2025-03-01")
    fund = FundingSource.objects.get(code="fund")
    refused = c.post(f"{url}?unit={tree.commune.pk}", {**form, "source": fund.pk})  # not among the choices
    assert refused.status_code == 200 and "source" in refused.context["form"].errors
    assert Allocation.objects.count() == 1
    listing = c.get(url, {"unit": tree.commune.pk, "year": 2025}).content.decode()
    assert "8.000.000" in listing and "01/03/2025" in listing
    edit = reverse("finance:allocation_edit", args=[a.pk])
    assert "01/03/2025" in c.get(edit).content.decode()
    assert c.post(edit, {**form, "amount": 9_000_000}).status_code == 302
    assert Allocation.objects.get().amount == 9_000_000
    assert c.post(reverse("finance:allocation_delete", args=[a.pk])).status_code == 302
    assert not Allocation.objects.exists()


def test_the_workbook(tree, officer, costs):
    response = client_for(officer).get(reverse("finance:ledger_xlsx"), {"year": 2025})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book["Theo nguồn"].iter_rows(values_only=True))
    assert ("Ngân sách tỉnh", 10_000_000, 3_000_000, 7_000_000) in rows
    assert rows[-1] == ("Tổng cộng", 10_000_000, 3_000_000, 7_000_000)
    spending = list(book["Chi theo loại"].iter_rows(values_only=True))
    assert spending[0] == ("Loại", "Số bản ghi", "Ngân sách tỉnh", "Tổng (đồng)")  # the sources with money
    assert spending[1] == ("Truyền thông", 2, 3_000_000, 3_000_000)
    assert AuditEvent.objects.filter(target_type="finance_ledger", action="export").exists()


def test_the_ledger_page_costs_the_same_queries_for_few_records_or_many(tree, viewer, allocated):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = client_for(viewer)
    url = reverse("finance:ledger")
    c.get(url, {"year": 2025})  # the session and the caches warm
    with CaptureQueriesContext(connection) as few:
        c.get(url, {"year": 2025})
    for code in ("central", "local", "raised", "international", "fund"):
        for unit in (tree.commune, tree.village, tree.sibling):
            Allocation.objects.create(unit=unit, unit_path=unit.path, year=2025, source=FundingSource.objects.get(
                code=code), amount=1_000_000, purpose="Thêm")  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        page = c.get(url, {"year": 2025}).content.decode()
    assert "29.000.000" in page  # 14.000.000 and 15 × 1.000.000
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert len(few) <= 20, [q["sql"] for q in few.captured_queries]
