"""The sections the apps below add to a periodic report (registered from `ReportingConfig.ready()`, after activities'
own): budget, staffing, directory and referrals, data quality — shown on the report's page, in that order."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from treem.activities.report import activities_section
from treem.cases.report import directory_section
from treem.directory.tests.factories import make_provider
from treem.finance.models import Allocation, FundingSource
from treem.finance.report import budget_section
from treem.quality.figures import CommuneFigures
from treem.quality.models import Snapshot
from treem.quality.report import quality_section
from treem.quality.services import FIELDS
from treem.reporting import sections
from treem.reporting import services as reporting
from treem.reporting.definitions import sync
from treem.reporting.models import ReportType
from treem.staff.models import Position, Worker
from treem.staff.report import staffing_section

pytestmark = pytest.mark.django_db


def test_the_sections_are_registered_once_in_order() -> None:
    order = [activities_section, budget_section, staffing_section, directory_section, quality_section]
    registered = [fn for fn in sections._PROVIDERS if fn in order]
    assert registered == order


def test_the_report_page_shows_the_sections(client, tree, officer) -> None:  # noqa: ANN001
    commune = tree.commune
    Allocation.objects.create(unit=commune, unit_path=commune.path, year=2025, amount=12_345_000, purpose="BVTE",
                              source=FundingSource.objects.get(code="province"))  # fmt: skip
    Worker.objects.filter(unit=commune).delete()  # the officer's account put them on the roster today
    Worker.objects.create(unit=tree.village, unit_path=tree.village.path, position=Position.COLLABORATOR,
                          full_name="Lò Văn Cộng", since=dt.date(2024, 1, 1))  # fmt: skip
    make_provider(commune, "play_spot", "Điểm vui chơi Khun Há", opened_on=dt.date(2024, 6, 1))
    figures = CommuneFigures(commune, children=40, no_id=7, households=12, id_verified=30)
    Snapshot.objects.create(month=dt.date(2025, 6, 1), commune=commune, unit_path=commune.path, score=figures.score,
                            **{name: getattr(figures, name) for name in FIELDS})  # fmt: skip
    sync()
    cycle = reporting.open_cycle(report_type=ReportType.objects.get(code="six_month"), period="2025S1")
    report = reporting.start_report(cycle=cycle, unit=commune, actor=officer)
    headings = [s.heading for s in sections.extra_sections(report)]
    assert headings == [
        "Kinh phí và chi tiêu", "Người làm công tác bảo vệ trẻ em", "Dịch vụ cho trẻ em và chuyển gửi",
        "Chất lượng dữ liệu",
    ]  # fmt: skip
    client.force_login(officer)
    page = client.get(reverse("reporting:detail", args=[report.pk])).content.decode()
    assert page.count('data-testid="report-extra-section"') == 4
    for text in (*headings, "12.345.000", "Xã Khun Há", "Điểm vui chơi cho trẻ em"):
        assert text in page
    positions = [page.index(f"<h2>{h}</h2>") for h in headings]
    assert positions == sorted(positions)
    assert "Lò Văn Cộng" not in page and "Điểm vui chơi Khun Há" not in page  # counts, not names
