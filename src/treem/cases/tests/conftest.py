from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from treem.accounts import roles
from treem.cases import services
from treem.core.dates import VN_TZ
from treem.registry.tests.conftest import child, household  # noqa: F401 - shared fixtures


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


@pytest.fixture
def other_child(tree, make_user):  # noqa: ANN001, ANN201
    """A child of the sibling commune, outside the officer's registry."""
    from treem.registry import services as registry

    sibling_officer = make_user(roles.COMMUNE_OFFICER, tree.sibling)
    home = registry.household_create(actor=sibling_officer, commune=tree.sibling, head_name="Lò Văn Tâm")
    return registry.child_register(
        actor=sibling_officer, household=home,
        data=registry.ChildInput(full_name="Lò Thị Sua", sex="F", date_of_birth=dt.date(2014, 1, 9)),
    )  # fmt: skip
