"""A round from generating its list to the deliveries: review, approval, no double support, the fund, the audit."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from openpyxl import load_workbook

from treem.audit.models import AuditEvent
from treem.finance.models import FundingSource
from treem.support import services
from treem.support.exports import SHEET_COLUMNS, write_round_xlsx
from treem.support.models import (
    Beneficiary,
    Delivery,
    FundSpending,
    Programme,
    RoundStatus,
)
from treem.support.selectors import fund_ledger, list_rows

D = dt.date
GIFT = services.DeliveryInput(item="Quà 1/6", value=300_000, delivered_on=D(2025, 6, 1), delivered_by="Lò Văn Cán")


@pytest.fixture
def gift(db) -> Programme:  # noqa: ANN001
    return Programme.objects.get(code="gift-special")


@pytest.fixture
def round_(gift, tree, kids, officer):  # noqa: ANN001, ANN201
    r = services.round_create(actor=officer, programme=gift, unit=tree.commune, on=D(2025, 5, 31))
    services.round_generate(actor=officer, round_=r)
    return r


def on_list(round_) -> dict[str, str]:  # noqa: ANN001
    return {b.child.full_name[-1]: b.status for b in list_rows(round_)}


def test_generate_review_approve_deliver(round_, kids, officer, chairman):
    assert on_list(round_) == {"A": "proposed", "B": "proposed", "F": "proposed", "I": "proposed"}
    a = round_.beneficiaries.get(child=kids.a)
    with pytest.raises(ValidationError):
        services.beneficiary_exclude(actor=officer, beneficiary=a, reason="  ")
    services.beneficiary_exclude(actor=officer, beneficiary=a, reason="Đã nhận quà của Hội Chữ thập đỏ")
    services.beneficiary_add(actor=officer, round_=round_, child=kids.n, reason="Gia đình vừa gặp hỏa hoạn")
    with pytest.raises(ValidationError, match="đã có trong danh sách"):
        services.beneficiary_add(actor=officer, round_=round_, child=kids.n, reason="lần nữa")
    with pytest.raises(ValidationError, match="không sống tại"):
        services.beneficiary_add(actor=officer, round_=round_, child=kids.h, reason="Bình Lư")
    # generating again keeps the decisions people made
    result = services.round_generate(actor=officer, round_=round_)
    assert (result.added, result.kept) == (3, 2)
    assert on_list(round_) == {"A": "excluded", "B": "proposed", "F": "proposed", "I": "proposed", "N": "proposed"}
    with pytest.raises(PermissionDenied):
        services.round_approve(actor=officer, round_=round_)  # the chairman approves
    services.round_approve(actor=chairman, round_=round_)
    round_.refresh_from_db()
    assert round_.status == RoundStatus.APPROVED and round_.approved_by == chairman
    assert on_list(round_)["N"] == "approved" and on_list(round_)["A"] == "excluded"
    with pytest.raises(ValidationError, match="đã được phê duyệt"):
        services.round_generate(actor=officer, round_=round_)
    with pytest.raises(ValidationError):  # an excluded child receives nothing
        services.delivery_record(actor=officer, beneficiary=a, data=GIFT)
    b = round_.beneficiaries.get(child=kids.b)
    services.delivery_record(actor=officer, beneficiary=b, data=GIFT)
    with pytest.raises(ValidationError, match="đã nhận hỗ trợ của đợt này"):
        services.delivery_record(actor=officer, beneficiary=b, data=GIFT)
    assert services.deliveries_record_all(actor=officer, round_=round_, data=GIFT) == 3
    assert Delivery.objects.filter(beneficiary__round=round_).count() == 4
    assert not FundSpending.objects.exists()  # the state budget paid
    kinds = list(AuditEvent.objects.filter(target_type="support_round").values_list("summary", flat=True))
    assert any("Phê duyệt danh sách: 4 trẻ" in s for s in kinds)
    assert any("Loại khỏi danh sách" in s for s in kinds)


def test_the_database_refuses_a_child_twice_on_a_list_or_a_second_delivery(round_, kids, officer, chairman):
    row = round_.beneficiaries.get(child=kids.b)
    with pytest.raises(IntegrityError), transaction.atomic():
        Beneficiary.objects.create(round=round_, child=kids.b, commune=row.commune, unit_path=row.unit_path,
                                   reason="x")  # fmt: skip
    services.round_approve(actor=chairman, round_=round_)
    services.delivery_record(actor=officer, beneficiary=row, data=GIFT)
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(beneficiary=row, unit_path=row.unit_path, item="x", delivered_on=D(2025, 6, 2),
                                delivered_by="x")  # fmt: skip


def test_a_village_round_inside_the_commune_round_does_not_list_a_child_twice(round_, gift, tree, kids, officer):
    village = services.round_create(actor=officer, programme=gift, unit=tree.village, on=D(2025, 5, 31))
    result = services.round_generate(actor=officer, round_=village)
    assert (result.added, result.elsewhere) == (0, 3)
    with pytest.raises(ValidationError, match="danh sách khác"):
        services.beneficiary_add(actor=officer, round_=village, child=kids.a, reason="Thêm")
    with pytest.raises(ValidationError, match="đã có đợt"):
        services.round_create(actor=officer, programme=gift, unit=tree.commune, on=D(2025, 5, 31))


def test_scope_and_rights(gift, tree, kids, officer, sibling_officer, viewer, make_user):
    with pytest.raises(PermissionDenied):
        services.round_create(actor=sibling_officer, programme=gift, unit=tree.commune, on=D(2025, 5, 31))
    with pytest.raises(PermissionDenied):
        services.round_create(actor=viewer, programme=gift, unit=tree.commune, on=D(2025, 5, 31))
    r = services.round_create(actor=officer, programme=gift, unit=tree.commune, on=D(2025, 5, 31))
    with pytest.raises(PermissionDenied):
        services.round_generate(actor=sibling_officer, round_=r)


def test_a_fund_programme_spends_from_the_fund(gift, tree, kids, officer, chairman, make_user):
    fund = Programme.objects.create(
        code="fund-help", name_vi="Hỗ trợ từ Quỹ BTTE", kind="fund", rules=gift.rules,
        source=FundingSource.objects.get(code="fund"),
    )  # fmt: skip
    services.donation_record(actor=officer, unit=tree.commune, donor="Công ty X", amount=5_000_000,
                             received_on=D(2025, 5, 1))  # fmt: skip
    r = services.round_create(actor=officer, programme=fund, unit=tree.commune, on=D(2025, 5, 31))
    services.round_generate(actor=officer, round_=r)
    services.round_approve(actor=chairman, round_=r)
    services.deliveries_record_all(actor=officer, round_=r, data=GIFT)
    ledger = fund_ledger(officer, tree.commune)
    assert (ledger.total_in, ledger.total_out, ledger.balance) == (5_000_000, 1_200_000, 3_800_000)
    assert FundSpending.objects.filter(delivery__isnull=False).count() == 4
    with pytest.raises(ValidationError):
        services.donation_record(actor=officer, unit=tree.commune, donor="Y", amount=0, received_on=D(2025, 5, 1))
    assert fund_ledger(make_user("commune_officer", tree.sibling), tree.commune).lines == []


def test_the_workbook_for_signing(round_, kids, officer):
    services.beneficiary_exclude(actor=officer, beneficiary=round_.beneficiaries.get(child=kids.i), reason="Khác")
    out = io.BytesIO()
    write_round_xlsx(out, round_, list_rows(round_, with_excluded=False))
    ws = load_workbook(io.BytesIO(out.getvalue())).active
    rows = [list(row) for row in ws.iter_rows(values_only=True)]
    head = next(i for i, r in enumerate(rows) if r[0] == "STT")
    assert list(rows[head]) == SHEET_COLUMNS and SHEET_COLUMNS[-1] == "Ký nhận"
    listed = [r[1] for r in rows[head + 1 :] if isinstance(r[0], int)]
    assert listed == ["Lò Thị A", "Lò Văn B", "Lò Văn F"]  # Hon, by name; I excluded
    assert rows[head + 1][5] == "a, d" and rows[head + 1][8] == 300_000


def test_the_database_refuses_a_child_on_two_lists_of_a_programme_for_the_same_date(round_, gift, tree, kids, officer):
    village = services.round_create(actor=officer, programme=gift, unit=tree.village, on=D(2025, 5, 31))
    row = round_.beneficiaries.get(child=kids.b)
    with pytest.raises(IntegrityError), transaction.atomic():
        Beneficiary.objects.create(round=village, child=kids.b, commune=row.commune, unit_path=row.unit_path,
                                   reason="x")  # fmt: skip
    # excluded from the commune's list, the child goes on the village's; putting the child back is refused
    services.beneficiary_exclude(actor=officer, beneficiary=row, reason="Nhận ở thôn")
    assert services.round_generate(actor=officer, round_=village).added == 1
    with pytest.raises(ValidationError, match="danh sách khác"):
        services.beneficiary_restore(actor=officer, beneficiary=row)
    assert Beneficiary.objects.filter(child=kids.b).exclude(status="excluded").count() == 1


def test_recording_every_delivery_of_a_round_costs_the_same_queries_for_one_child_or_many(
    gift, tree, kids, officer, chairman
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fund = Programme.objects.create(
        code="fund-help", name_vi="Hỗ trợ từ Quỹ BTTE", kind="fund", rules=gift.rules,
        source=FundingSource.objects.get(code="fund"),
    )  # fmt: skip
    counts = []
    for unit, day in ((tree.sibling_village, D(2025, 5, 30)), (tree.commune, D(2025, 5, 31))):
        r = services.round_create(actor=officer, programme=fund, unit=unit, on=day)
        services.round_generate(actor=officer, round_=r)
        services.round_approve(actor=chairman, round_=r)
        with CaptureQueriesContext(connection) as queries:
            n = services.deliveries_record_all(actor=officer, round_=r, data=GIFT)
        counts.append((n, len(queries)))
    (one, few), (many, more) = counts
    assert (one, many) == (1, 4)
    assert more == few
    assert FundSpending.objects.filter(delivery__beneficiary__round__programme=fund).count() == 5
