from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from treem.accounts import roles
from treem.cases import services
from treem.cases.calendar import VN_TZ
from treem.registry.tests.conftest import child, household, officer  # noqa: F401 - shared fixtures


@pytest.fixture
def worker(tree, make_user):  # noqa: ANN001, ANN201
    return make_user(roles.COMMUNE_OFFICER, tree.commune)


@pytest.fixture
def chairman(tree, make_user):  # noqa: ANN001, ANN201
    return make_user(roles.COMMUNE_CHAIRMAN, tree.commune)


@pytest.fixture
def intake_time() -> dt.datetime:
    return (timezone.now() - dt.timedelta(hours=2)).astimezone(VN_TZ)


@pytest.fixture
def case(worker, tree, child, intake_time):  # noqa: ANN001, ANN201, F811
    return services.case_open(
        actor=worker, commune=tree.commune, intake_at=intake_time, channel="hotline_111", category="at_risk",
        description="Em nghỉ học, có thể bị đưa đi làm thuê ở thành phố", child=child, abuse_forms=["exploitation"],
        setting="home",
    )  # fmt: skip
