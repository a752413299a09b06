from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from treem.accounts import roles
from treem.activities import services
from treem.activities.kinds import types_sync
from treem.activities.models import ActivityType
from treem.finance.models import FundingSource, SourceKind
from treem.plans import services as plan_services
from treem.plans.kinds import kinds_sync
from treem.plans.models import AgencyKind
from treem.registry.tests.conftest import child, household, sibling_child

__all__ = ["child", "household", "sibling_child"]

DAY = dt.date(2025, 6, 1)


def source(code: str, kind: str = "") -> FundingSource:
    src, _ = FundingSource.objects.get_or_create(
        code=code, defaults={"name_vi": code, "name_en": code, "kind": kind or SourceKind.OTHER}
    )
    return src


@pytest.fixture
def types(db) -> dict[str, ActivityType]:  # noqa: ANN001
    types_sync()
    kinds_sync()
    return {t.code: t for t in ActivityType.objects.all()}


@pytest.fixture
def specialist(tree, make_user):  # noqa: ANN001, ANN201
    return make_user(roles.PROVINCE_SPECIALIST, tree.province)


@pytest.fixture
def setup(tree, make_user, specialist, officer, sibling_officer, types):  # noqa: ANN001, ANN201
    """Two agencies of the province with a reporter each; activities of the commune, its sibling and each agency."""
    education = plan_services.agency_create(
        actor=specialist, unit=tree.province, kind=AgencyKind.objects.get(code="education"), name="Sở GD&ĐT"
    )
    health = plan_services.agency_create(
        actor=specialist, unit=tree.province, kind=AgencyKind.objects.get(code="health"), name="Sở Y tế"
    )
    teacher = make_user(roles.AGENCY_REPORTER, tree.province)
    doctor = make_user(roles.AGENCY_REPORTER, tree.province)
    plan_services.agency_member_add(actor=specialist, agency=education, user=teacher)
    plan_services.agency_member_add(actor=specialist, agency=health, user=doctor)

    def make(actor, unit, type_code, title, **kw):  # noqa: ANN001, ANN003, ANN202
        return services.activity_create(
            actor=actor, type=types[type_code], unit=unit, title=title, starts_on=kw.pop("starts_on", DAY), **kw
        )

    commune_campaign = make(
        officer, tree.commune, "campaign", "Truyền thông Tháng hành động", children_male=40, children_female=45,
        adults_male=10, adults_female=15,
    )  # fmt: skip
    sibling_meeting = make(sibling_officer, tree.sibling, "meeting", "Họp Ban chỉ đạo xã Bình Lư", adults_male=9)
    school_training = make(
        teacher, tree.province, "training", "Tập huấn giáo viên", organiser=education, adults_female=30
    )
    clinic_inspection = make(doctor, tree.commune, "inspection", "Kiểm tra trạm y tế", organiser=health)
    return SimpleNamespace(
        education=education, health=health, teacher=teacher, doctor=doctor, make=make,
        commune_campaign=commune_campaign, sibling_meeting=sibling_meeting, school_training=school_training,
        clinic_inspection=clinic_inspection,
    )  # fmt: skip
