"""The report as an administrative document: the PDF's text holds the decree's parts in order, the figures
frozen in the report, the narratives; the DOCX the same; the downloads answer in scope only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from treem.audit.models import AuditEvent
from treem.core.documents.testing import document_parts, first_out_of_order, text_of_docx, text_of_pdf
from treem.indicators.models import Indicator
from treem.reporting import document, services
from treem.reporting.tests.conftest import put_figure, written

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(tree, officer, cycle):  # noqa: ANN001, ANN201
    put_figure(tree.commune, "children", 1234)
    put_figure(tree.commune, "children", 600, "sex=F")
    put_figure(tree.commune, "children", 634, "sex=M")
    report = services.start_report(cycle=cycle, unit=tree.commune, actor=officer)
    services.save_text(
        report=report, actor=officer, narratives=written(results="Tổ chức 4 buổi truyền thông tại các bản."),
        number="25/BC-UBND", signer_name="Lò Văn Thắng", signer_title="KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
    )  # fmt: skip
    return services.submit(report=report, actor=officer)


def test_the_pdf_shows_the_parts_of_the_format_in_order(submitted) -> None:  # noqa: ANN001
    doc = document.build(submitted)
    text = text_of_pdf(document.pdf(submitted))
    assert first_out_of_order(text, document_parts(doc)) is None
    flat = " ".join(text.split())
    # the decree's parts, in reading order (the header is two rows of two columns): issuing bodies, motto, number,
    # place and date, title, body with the figures, recipients, signer
    parts = [
        "ỦY BAN NHÂN DÂN TỈNH LAI CHÂU", "ỦY BAN NHÂN DÂN XÃ KHUN HÁ", "Độc lập - Tự do - Hạnh phúc", "Số: 25/BC-UBND",
        "Khun Há, ngày",
        "BÁO CÁO", "Kết quả công tác trẻ em 6 tháng đầu năm 2025", "TÌNH HÌNH TRẺ EM TRÊN ĐỊA BÀN",
        "Dân số trẻ em", "1.234", "KẾT QUẢ THỰC HIỆN", "Tổ chức 4 buổi truyền thông tại các bản.",
        "Nơi nhận:", "Lưu: VT", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lò Văn Thắng",
    ]  # fmt: skip
    assert first_out_of_order(flat, parts) is None, first_out_of_order(flat, parts)


def test_the_document_keeps_the_frozen_figures(tree, submitted) -> None:  # noqa: ANN001
    put_figure(tree.commune, "children", 999)  # after submission
    text = " ".join(text_of_docx(document.docx(submitted)).split())
    assert "1.234" in text and "999" not in text
    assert first_out_of_order(text, ["Biểu số liệu", "Nam: 634", "Nữ: 600"]) is None


def test_a_consolidated_document_names_the_sub_units_not_approved(tree, submitted, province_officer) -> None:  # noqa: ANN001
    services.approve(report=submitted, actor=province_officer)
    mine = services.start_report(cycle=submitted.cycle, unit=tree.province, actor=province_officer)
    doc = document.build(mine)
    assert doc.issuing_body == "ỦY BAN NHÂN DÂN TỈNH LAI CHÂU" and doc.date is None  # not submitted: blank date
    text = " ".join(text_of_docx(document.docx(mine)).split())
    assert "Tổng hợp từ 1 báo cáo đã duyệt" in text and "Chưa có báo cáo được duyệt: Xã Bình Lư." in text


def test_the_downloads_are_in_scope_and_audited(client, submitted, province_officer, sibling_officer) -> None:  # noqa: ANN001
    client.force_login(province_officer)
    answer = client.get(reverse("reporting:pdf", args=[submitted.pk]))
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF")
    docx = client.get(reverse("reporting:docx", args=[submitted.pk]))
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    assert AuditEvent.objects.filter(target_type="report", action="print", actor=province_officer).count() == 2
    client.force_login(sibling_officer)
    assert client.get(reverse("reporting:pdf", args=[submitted.pk])).status_code == 404


def test_the_date_is_the_submission_day_in_vietnam(submitted) -> None:  # noqa: ANN001
    assert document.build(submitted).date == dt.datetime.now(tz=dt.timezone(dt.timedelta(hours=7))).date()


def test_figures_are_written_the_vietnamese_way() -> None:
    from treem.reporting.selectors import vn_number

    assert [vn_number(v) for v in (0, 7, 1234, 1234567, 12.5, 1234.25)] == [
        "0",
        "7",
        "1.234",
        "1.234.567",
        "12,5",
        "1.234,25",
    ]


def test_a_consolidated_document_names_what_its_frozen_figures_summed(
    tree, submitted, sibling_officer, province_officer
) -> None:  # noqa: ANN001
    services.approve(report=submitted, actor=province_officer)
    mine = services.start_report(cycle=submitted.cycle, unit=tree.province, actor=province_officer)
    services.save_text(report=mine, actor=province_officer, narratives=written())
    mine = services.submit(report=mine, actor=province_officer)
    other = services.start_report(cycle=submitted.cycle, unit=tree.sibling, actor=sibling_officer)
    services.save_text(report=other, actor=sibling_officer, narratives=written())
    services.approve(report=services.submit(report=other, actor=sibling_officer), actor=province_officer)
    # Bình Lư approved after the province froze its sum: the document still says what the figures hold
    text = " ".join(text_of_docx(document.docx(mine)).split())
    assert "Tổng hợp từ 1 báo cáo đã duyệt" in text and "Chưa có báo cáo được duyệt: Xã Bình Lư." in text


def test_a_retired_indicator_leaves_the_frozen_figures_in_the_document(submitted) -> None:  # noqa: ANN001
    Indicator.objects.filter(code="children").update(is_active=False)  # retired after the report was submitted
    text = " ".join(text_of_docx(document.docx(submitted)).split())
    assert "Dân số trẻ em" in text and "1.234" in text
