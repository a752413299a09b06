"""A 6-month cycle (2025S1) for the small tree: Lai Châu's communes Khun Há and Bình Lư report to the province
(and, with `progress`, a third commune, Mường Tè)."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone

from treem.accounts import roles
from treem.core.dates import VN_TZ
from treem.indicators.models import DataValue, Indicator
from treem.reporting import services
from treem.reporting.definitions import sync
from treem.reporting.models import ReportType
from treem.reporting.services import open_cycle

SECTIONS = ("situation", "results", "difficulties", "tasks", "proposals")


@pytest.fixture
def report_types(db):  # noqa: ANN001, ANN201
    sync()  # loaded after migrate; again for a transactional test, whose flush removes them
    return {t.code: t for t in ReportType.objects.all()}


@pytest.fixture
def cycle(report_types):  # noqa: ANN001, ANN201
    return open_cycle(report_type=report_types["six_month"], period="2025S1")


@pytest.fixture
def province_officer(tree, make_user):  # noqa: ANN001, ANN201
    return make_user(roles.PROVINCE_SPECIALIST, tree.province)


def put_figure(unit, code: str, value: float, disagg: str = "") -> None:  # noqa: ANN001
    DataValue.objects.update_or_create(
        indicator=Indicator.objects.get(code=code), unit=unit, period="2025S1", disagg=disagg,
        defaults={"value": value, "numerator": value, "computed_at": timezone.now()},
    )  # fmt: skip


def written(**extra: str) -> dict[str, str]:
    return {code: extra.get(code, f"Nội dung {code}") for code in SECTIONS}


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=VN_TZ)


def submit_on(report, user, moment: dt.datetime):  # noqa: ANN001, ANN202
    with mock.patch.object(timezone, "now", return_value=moment):
        services.save_text(report=report, actor=user, narratives=written())
        return services.submit(report=report, actor=user)


@pytest.fixture
def third(tree):  # noqa: ANN001, ANN201
    from treem.units.models import Level
    from treem.units.tests.factories import make_unit

    return make_unit(tree.province, Level.COMMUNE, "03433", "Xã Mường Tè", "Xã")


@pytest.fixture
def progress(tree, officer, sibling_officer, province_officer, cycle, third):  # noqa: ANN001, ANN201
    """Khun Há on time (approved), Bình Lư a day late (submitted), Mường Tè nothing."""
    a = services.start_report(cycle=cycle, unit=tree.commune, actor=officer)
    a = services.approve(report=submit_on(a, officer, at(dt.date(2025, 5, 10), 23)), actor=province_officer)
    b = services.start_report(cycle=cycle, unit=tree.sibling, actor=sibling_officer)
    b = submit_on(b, sibling_officer, at(dt.date(2025, 5, 11), 8))
    return a, b
