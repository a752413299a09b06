"""The periodic report shows the section "activities this period" (registered through reporting's section hook) on
its page and in its document: the activities of the report's unit and below it, begun in the report's period."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from treem.activities import services
from treem.core.documents.testing import text_of_docx, text_of_pdf
from treem.reporting import document
from treem.reporting import services as reporting
from treem.reporting.definitions import sync
from treem.reporting.models import Report, ReportType, Status
from treem.reporting.sections import extra_sections
from treem.reporting.tests.conftest import written

from .conftest import source

pytestmark = pytest.mark.django_db


def activities_sections(report):  # noqa: ANN001, ANN201
    """The sections "activities this period" among the report's sections (other apps add theirs)."""
    return [s for s in extra_sections(report) if s.heading == "Hoạt động trong kỳ"]


@pytest.fixture
def report(setup, tree, officer):  # noqa: ANN001, ANN201
    sync()
    cycle = reporting.open_cycle(report_type=ReportType.objects.get(code="six_month"), period="2025S1")
    services.material_add(actor=officer, activity=setup.commune_campaign, kind="leaflet", count=2000)
    services.cost_add(actor=officer, activity=setup.commune_campaign, source=source("local"), amount=2_500_000)
    services.finding_add(actor=setup.doctor, activity=setup.clinic_inspection, text="Chưa có sổ theo dõi trẻ em")
    setup.make(officer, tree.commune, "meeting", "Họp quý III", starts_on=dt.date(2025, 7, 2), adults_male=8)
    return reporting.start_report(cycle=cycle, unit=tree.commune, actor=officer)


def test_the_section_counts_the_activities_of_the_period(report) -> None:  # noqa: ANN001
    [section] = activities_sections(report)
    [table] = section.tables
    cells = [row.cells for row in table.rows]
    assert ("Truyền thông", "1", "110", "85", "2.500.000") in cells
    assert ("Kiểm tra, giám sát", "1", "0", "0", "0") in cells
    assert cells[-1] == ("Tổng số", "2", "110", "85", "2.500.000")  # the July meeting is in the next period
    assert not any(c[0].startswith("Họp") for c in cells)  # a type without activity is left out
    text = " ".join(section.paragraphs)
    assert "Tờ rơi: 2.000." in text
    assert "phát hiện 1 tồn tại, hạn chế; đã khắc phục 0." in text  # the clinic's finding, not yet remedied


def test_the_page_and_the_document_show_the_section(client, report, officer) -> None:  # noqa: ANN001
    client.force_login(officer)
    page = client.get(reverse("reporting:detail", args=[report.pk])).content.decode()
    assert 'data-testid="report-extra-section"' in page and "2.500.000" in page
    text = " ".join(text_of_docx(document.docx(report)).split())
    assert "HOẠT ĐỘNG TRONG KỲ" in text and "2.500.000" in text


def test_no_section_without_activities(tree, sibling_officer, types) -> None:  # noqa: ANN001
    sync()
    cycle = reporting.open_cycle(report_type=ReportType.objects.get(code="six_month"), period="2025S1")
    report = reporting.start_report(cycle=cycle, unit=tree.sibling, actor=sibling_officer)
    assert activities_sections(report) == []


def test_a_submitted_report_keeps_the_section_as_submitted(client, report, officer, setup, tree) -> None:  # noqa: ANN001
    """Like its figures, the section is frozen at submission: activities recorded afterwards leave the submitted
    report (page, PDF, DOCX) as it was sent; a report returned for correction reads them again."""
    reporting.save_text(report=report, actor=officer, narratives=written())
    reporting.submit(report=report, actor=officer)
    services.cost_add(actor=officer, activity=setup.commune_campaign, source=source("local"), amount=1_000_000)
    setup.make(officer, tree.commune, "meeting", "Họp Ban chỉ đạo tháng 6", adults_male=8)
    report.refresh_from_db()

    [section] = activities_sections(report)
    assert section.tables[0].rows[-1].cells == ("Tổng số", "2", "110", "85", "2.500.000")
    client.force_login(officer)
    page = client.get(reverse("reporting:detail", args=[report.pk])).content.decode()
    assert "2.500.000" in page and "3.500.000" not in page
    for text in (text_of_docx(document.docx(report)), text_of_pdf(document.pdf(report))):
        text = " ".join(text.split())
        assert "HOẠT ĐỘNG TRONG KỲ" in text and "2.500.000" in text and "3.500.000" not in text

    Report.objects.filter(pk=report.pk).update(status=Status.RETURNED)
    report.refresh_from_db()
    [section] = activities_sections(report)
    assert section.tables[0].rows[-1].cells == ("Tổng số", "3", "118", "85", "3.500.000")
