"""A 6-month cycle (2025S1) for the small tree: Lai Châu's communes Khun Há and Bình Lư report to the province."""

from __future__ import annotations

import pytest
from django.utils import timezone

from treem.accounts import roles
from treem.indicators.models import DataValue, Indicator
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
