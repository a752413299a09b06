"""The allocations page reads its rows in a fixed number of queries, however many it shows."""

from __future__ import annotations

import itertools

import pytest
from django.urls import reverse

from treem.core.dates import today_vn
from treem.core.testing import assert_queries_flat
from treem.finance.models import Allocation, FundingSource

BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["officer", "viewer"])
def test_the_allocations_do_not_grow_with_their_rows(client, request, tree, persona) -> None:  # noqa: ANN001
    numbers = itertools.count(1)
    sources = itertools.cycle(FundingSource.objects.filter(code__in=["province", "local"]))
    year = today_vn().year

    def add(count: int) -> list[str]:
        purposes = []
        for _ in range(count):
            i = next(numbers)
            unit = (tree.commune, tree.village)[i % 2]
            allocation = Allocation.objects.create(
                unit=unit, unit_path=unit.path, year=year, source=next(sources), amount=1_000_000 * i,
                purpose=f"Mục đích số {i}", decision_no=f"{i}/QĐ",
            )  # fmt: skip
            purposes.append(allocation.purpose)
        return purposes

    client.force_login(request.getfixturevalue(persona), backend=BACKEND)
    url = f"{reverse('finance:allocations')}?unit={tree.commune.pk}&year={year}"
    assert_queries_flat(client, url, add)
