from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from treem.accounts import roles
from treem.plans import services
from treem.plans.kinds import kinds_sync
from treem.plans.models import AgencyKind, EventKind
from treem.registry.tests.conftest import child, household, sibling_child

__all__ = ["child", "household", "sibling_child"]

TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def kinds(db) -> None:  # noqa: ANN001
    kinds_sync()


@pytest.fixture
def specialist(tree, make_user):  # noqa: ANN001, ANN201
    return make_user(roles.PROVINCE_SPECIALIST, tree.province)


@pytest.fixture
def setup(tree, make_user, specialist, kinds):  # noqa: ANN001, ANN201
    """The province's plan: two sections; tasks for education (2), health (1), the commune (1) and an event."""
    education = services.agency_create(
        actor=specialist, unit=tree.province, kind=AgencyKind.objects.get(code="education"),
        name="Sở Giáo dục và Đào tạo", short_name="Sở GD&ĐT",
    )  # fmt: skip
    health = services.agency_create(
        actor=specialist, unit=tree.province, kind=AgencyKind.objects.get(code="health"), name="Sở Y tế"
    )
    teacher = make_user(roles.AGENCY_REPORTER, tree.province)
    doctor = make_user(roles.AGENCY_REPORTER, tree.province)
    services.agency_member_add(actor=specialist, agency=education, user=teacher)
    services.agency_member_add(actor=specialist, agency=health, user=doctor)
    plan = services.plan_create(actor=specialist, unit=tree.province, year=2026, title="Kế hoạch năm 2026")
    s1 = services.section_create(actor=specialist, plan=plan, number="II.1", title="Thực hiện chính sách")
    s2 = services.section_create(actor=specialist, plan=plan, number="II.8", title="Tháng hành động")

    def task(section, title, deadline, **kw):  # noqa: ANN001, ANN003, ANN202
        return services.task_create(actor=specialist, section=section, title=title, deadline=deadline, **kw)

    school = task(s1, "Môi trường giáo dục an toàn", dt.date(2026, 12, 31), agency=education)
    late = task(s1, "Kiểm tra các cơ sở mầm non", dt.date(2026, 5, 31), agency=education)
    clinic = task(s1, "Khám chữa bệnh cho trẻ dưới 6 tuổi", dt.date(2026, 3, 31), agency=health)
    commune_task = task(s1, "Cập nhật số liệu trẻ em", dt.date(2026, 11, 15), assignee_unit=tree.commune)
    month = task(
        s2, "Tháng hành động vì trẻ em", dt.date(2026, 6, 30), agency=education,
        event_kind=EventKind.objects.get(code="month_of_action"), theme="Chung tay bảo vệ trẻ em",
        budget=50_000_000, funding_source="local",
    )  # fmt: skip
    return SimpleNamespace(
        education=education, health=health, teacher=teacher, doctor=doctor, plan=plan, s1=s1, s2=s2,
        school=school, late=late, clinic=clinic, commune_task=commune_task, month=month,
    )  # fmt: skip
