"""The report's section on the directory and the referrals: places of the unit and below it open on the period's
last day, referrals of its cases made and acknowledged in the period — counts only, never a case detail."""

from __future__ import annotations

import datetime as dt

import pytest

from treem.cases import referrals
from treem.cases.models import AcknowledgedVia
from treem.cases.report import directory_section
from treem.core.dates import today_vn
from treem.directory.models import ProviderStatus
from treem.directory.tests.factories import make_provider

pytestmark = pytest.mark.django_db

END = today_vn()
START = END - dt.timedelta(days=10)
BEFORE = START - dt.timedelta(days=1)


def _refer(worker, case, provider, on: dt.date):  # noqa: ANN001, ANN202
    return referrals.referral_make(
        actor=worker, case=case, provider=provider, referred_on=on, service="Tham vấn tâm lý",
        summary="Em cần được tham vấn sau khi bỏ học.", parent_consent_name="Sùng A Páo", parent_consent_on=on,
        child_consent_on=on,
    )  # fmt: skip


@pytest.fixture
def places(tree):  # noqa: ANN001, ANN201
    """Khun Há: a play spot and (in its village) a cultural house, open; a closed health station; a library opened
    after the period. The province's social work centre. Bình Lư and Long Khánh: a play spot each."""
    make_provider(tree.commune, "play_spot", "Điểm vui chơi Khun Há", opened_on=BEFORE)
    make_provider(tree.village, "cultural_house", "Nhà văn hóa bản Hon", opened_on=START)
    make_provider(tree.commune, "health_facility", "Trạm y tế Khun Há", opened_on=BEFORE, status=ProviderStatus.CLOSED)
    make_provider(tree.commune, "library", "Tủ sách Khun Há", opened_on=END + dt.timedelta(days=1))
    make_provider(tree.sibling, "play_spot", "Điểm vui chơi Bình Lư", opened_on=BEFORE)
    make_provider(tree.far_commune, "play_spot", "Điểm vui chơi Long Khánh", opened_on=BEFORE)
    return make_provider(tree.province, "social_work_centre", "Trung tâm Công tác xã hội tỉnh", opened_on=BEFORE)


@pytest.fixture
def referred(worker, case, places):  # noqa: ANN001, ANN201
    """Two referrals of the commune's case to the centre: one before the period, acknowledged in it; one in it,
    acknowledged in it too."""
    early = _refer(worker, case, places, BEFORE - dt.timedelta(days=3))
    late = _refer(worker, case, places, END)
    for r in (early, late):
        referrals.referral_acknowledge(
            actor=worker, referral=r, acknowledged_on=END, via=AcknowledgedVia.PHONE, name="Lò Thị Hoa"
        )
    return case


def _cells(section):  # noqa: ANN001, ANN202
    return {row.cells[0]: row.cells[1:] for row in section.tables[0].rows}


def test_the_commune_counts_its_places_and_its_cases_referrals(tree, referred) -> None:  # noqa: ANN001
    cells = _cells(directory_section(unit=tree.commune, start=START, end=END))
    assert cells == {
        "Điểm vui chơi cho trẻ em": ("1", "0", "0"),
        "Nhà văn hóa, điểm sinh hoạt văn hóa": ("1", "0", "0"),
        "Trung tâm công tác xã hội, bảo vệ trẻ em": ("0", "1", "2"),  # the centre is the province's
        "Tổng số": ("2", "1", "2"),
    }


def test_the_province_adds_its_communes_and_nothing_from_another_province(tree, referred) -> None:  # noqa: ANN001
    section = directory_section(unit=tree.province, start=START, end=END)
    assert _cells(section)["Tổng số"] == ("4", "1", "2")  # Khun Há's two, Bình Lư's, the centre
    assert _cells(directory_section(unit=tree.sibling, start=START, end=END))["Tổng số"] == ("1", "0", "0")


def test_no_case_detail_in_the_section(tree, referred) -> None:  # noqa: ANN001
    section = directory_section(unit=tree.province, start=START, end=END)
    text = " ".join(
        [*section.paragraphs, *(c for t in section.tables for r in t.rows for c in r.cells),
         *(n for t in section.tables for n in t.notes)]
    )  # fmt: skip
    child = referred.child
    for secret in (child.full_name, referred.code, referred.description, "Tham vấn tâm lý", "bỏ học", "Sùng A Páo",
                   "Lò Thị Hoa", "Trung tâm Công tác xã hội tỉnh", "Điểm vui chơi Khun Há"):  # fmt: skip
        assert secret not in text


def test_no_section_without_places_or_referrals(tree) -> None:  # noqa: ANN001
    assert directory_section(unit=tree.commune, start=START, end=END) is None
    make_provider(tree.commune, "health_facility", "Trạm y tế", opened_on=BEFORE, status=ProviderStatus.SUSPENDED)
    assert directory_section(unit=tree.commune, start=START, end=END) is None
