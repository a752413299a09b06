"""The case list reads its rows in a fixed number of queries, however many cases it shows."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.urls import reverse

from treem.cases import services
from treem.core.testing import assert_queries_flat
from treem.registry import services as registry

BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["worker", "chairman"])
@pytest.mark.parametrize("query", ["", "?status=intake"])
def test_the_case_list_does_not_grow_with_its_rows(client, request, tree, worker, intake_time, persona, query) -> None:  # noqa: ANN001
    numbers = itertools.count(1)

    def add(count: int) -> list[str]:
        codes = []
        for _ in range(count):
            i = next(numbers)
            home = registry.household_create(actor=worker, commune=tree.commune, head_name=f"Chủ hộ {i}")
            child = registry.child_register(
                actor=worker, household=home,
                data=registry.ChildInput(full_name=f"Lò Thị Số {i}", sex="F", date_of_birth=dt.date(2014, 1, i)),
            )  # fmt: skip
            case = services.case_open(
                actor=worker, commune=tree.commune, intake_at=intake_time, channel="hotline_111",
                category="at_risk", description=f"Vụ việc số {i}", child=child, abuse_forms=["exploitation"],
                setting="home",
            )  # fmt: skip
            codes.append(case.code)
        return codes

    client.force_login(request.getfixturevalue(persona), backend=BACKEND)
    assert_queries_flat(client, reverse("cases:dashboard") + query, add)
