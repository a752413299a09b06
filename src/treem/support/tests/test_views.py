"""The pages: the flow through them, scope (out of scope is 404), rights, the export and the child page's panel."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from treem.audit.models import AuditEvent
from treem.support import services
from treem.support.models import Programme, Round, RoundStatus

D = dt.date
GIFT = services.DeliveryInput(item="Quà", value=300_000, delivered_on=D(2025, 6, 1), delivered_by="Lò Văn Cán")


def client_for(user) -> Client:  # noqa: ANN001
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def round_(tree, kids, officer) -> Round:  # noqa: ANN001
    c = client_for(officer)
    url = reverse("support:programme", args=["gift-special"])
    response = c.post(url, {"unit": tree.commune.pk, "on": "31/05/2025", "name": "Quà 1/6/2025", "value": "300000"})
    assert response.status_code == 302
    r = Round.objects.get(name="Quà 1/6/2025")
    assert c.post(reverse("support:round_generate", args=[r.pk])).status_code == 302
    return r


def test_the_flow_through_the_pages(round_, kids, officer, chairman):
    officer_client, chairman_client = client_for(officer), client_for(chairman)
    page = officer_client.get(reverse("support:round", args=[round_.pk])).content.decode()
    assert "Lò Thị A" in page and "Lò Văn N" not in page
    a = round_.beneficiaries.get(child=kids.a)
    response = officer_client.post(
        reverse("support:row_exclude", args=[round_.pk, a.pk]), {"reason": "Đã nhận nơi khác"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and "Đã nhận nơi khác" in response.content.decode()
    assert "<html" not in response.content.decode()  # the row only
    found = officer_client.get(reverse("support:child_search", args=[round_.pk]), {"q": "lo van n"})
    assert "Lò Văn N" in found.content.decode()
    officer_client.post(reverse("support:row_add", args=[round_.pk]), {"child": kids.n.pk, "reason": "Hỏa hoạn"})
    assert round_.beneficiaries.filter(child=kids.n, manual=True).exists()
    assert officer_client.post(reverse("support:round_approve", args=[round_.pk])).status_code == 403
    assert chairman_client.post(reverse("support:round_approve", args=[round_.pk])).status_code == 302
    round_.refresh_from_db()
    assert round_.status == RoundStatus.APPROVED
    b = round_.beneficiaries.get(child=kids.b)
    response = officer_client.post(
        reverse("support:row_deliver", args=[round_.pk, b.pk]),
        {"item": "Quà", "value": "300000", "delivered_on": "01/06/2025", "delivered_by": "Lò Văn Cán"},
    )
    assert 'data-testid="delivered"' in response.content.decode() and "01/06/2025" in response.content.decode()
    response = officer_client.post(
        reverse("support:round_deliver_all", args=[round_.pk]),
        {"item": "Quà", "value": "300000", "delivered_on": "01/06/2025", "delivered_by": "Lò Văn Cán"},
    )
    assert response.status_code == 302
    assert round_.beneficiaries.filter(delivery__isnull=False).count() == 4  # B, F, I, N (A excluded)
    child_page = officer_client.get(reverse("registry:child_detail", args=[kids.b.pk])).content.decode()
    assert 'data-testid="child-support"' in child_page and "300.000" in child_page


def test_the_export_for_signing(round_, officer):
    response = client_for(officer).get(reverse("support:round_xlsx", args=[round_.pk]))
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(ws.iter_rows(values_only=True))
    assert values[5][:2] == ("STT", "Họ và tên") and values[5][-1] == "Ký nhận"
    assert AuditEvent.objects.filter(target_type="support_round", action="export").exists()


def test_out_of_scope_is_404_and_rights_are_checked(round_, tree, sibling_officer, viewer, make_user):
    other = client_for(sibling_officer)
    for name in ("support:round", "support:round_xlsx"):
        assert other.get(reverse(name, args=[round_.pk])).status_code == 404
    assert other.post(reverse("support:round_generate", args=[round_.pk])).status_code == 404
    province = client_for(viewer)  # sees the commune's lists, changes nothing
    assert province.get(reverse("support:round", args=[round_.pk])).status_code == 200
    assert province.post(reverse("support:round_generate", args=[round_.pk])).status_code == 403
    row = round_.beneficiaries.first()
    assert province.post(reverse("support:row_exclude", args=[round_.pk, row.pk]), {"reason": "x"}).status_code == 403
    far = client_for(make_user("commune_officer", tree.far_commune))
    response = far.post(
        reverse("support:programme", args=["gift-special"]), {"unit": tree.commune.pk, "on": "31/05/2025"}
    )
    assert response.status_code == 200 and not Round.objects.filter(unit=tree.far_commune).exists()
    assert Round.objects.count() == 1
    reporter = client_for(make_user("agency_reporter", tree.province))  # no registry right at all
    assert reporter.get(reverse("support:programmes")).status_code == 403


def test_the_fund_ledger(tree, officer, sibling_officer):
    c = client_for(officer)
    url = reverse("support:fund")
    response = c.post(url, {"form": "donation", "donor": "Công ty A", "amount": "2000000", "received_on": "01/05/2025"})
    assert response.status_code == 302
    c.post(url, {"form": "spending", "purpose": "Thăm trẻ ốm", "amount": "500000", "spent_on": "02/05/2025"})
    page = c.get(url).content.decode()
    assert "Công ty A" in page and "1.500.000" in page
    assert "Công ty A" not in client_for(sibling_officer).get(url).content.decode()
    assert Programme.objects.filter(code="gift-special").exists()


def test_the_round_page_costs_the_same_queries_for_one_child_or_many(tree, kids, officer, chairman):
    gift = Programme.objects.get(code="gift-special")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = client_for(officer)
    counts = []
    for unit, day in ((tree.sibling_village, D(2025, 5, 30)), (tree.commune, D(2025, 5, 31))):
        r = services.round_create(actor=officer, programme=gift, unit=unit, on=day)
        services.round_generate(actor=officer, round_=r)
        services.round_approve(actor=chairman, round_=r)
        services.deliveries_record_all(actor=officer, round_=r, data=GIFT)
        with CaptureQueriesContext(connection) as queries:
            page = c.get(reverse("support:round", args=[r.pk])).content.decode()
        counts.append((page.count('data-testid="delivered"'), len(queries)))
    (one, few), (many, more) = counts
    assert (one, many) == (1, 4) and more == few
