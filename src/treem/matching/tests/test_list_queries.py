"""The review queue reads its pairs in a fixed number of queries, however many it shows."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.urls import reverse

from treem.core.testing import assert_queries_flat
from treem.matching.models import MatchCandidate
from treem.registry import services as registry

BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.mark.django_db
def test_the_review_queue_does_not_grow_with_its_rows(client, tree, officer) -> None:  # noqa: ANN001
    numbers = itertools.count(1)

    def register(i: int, name: str, village):  # noqa: ANN001, ANN202
        home = registry.household_create(actor=officer, commune=tree.commune, village=village, head_name=f"Hộ {i}")
        return registry.child_register(
            actor=officer, household=home,
            data=registry.ChildInput(full_name=name, sex="F", date_of_birth=dt.date(2014, 2, i)),
        )  # fmt: skip

    def add(count: int) -> list[str]:
        names = []
        for _ in range(count):
            i = next(numbers)
            a = register(i, f"Vàng Thị Cặp {i}", tree.village)
            b = register(i, f"Vang Thi Cap {i}", None)
            MatchCandidate.objects.create(child_a=a, child_b=b, probability=0.9 - i / 100, run=None)
            names += [a.full_name, b.full_name]
        return names

    client.force_login(officer, backend=BACKEND)
    assert_queries_flat(client, reverse("matching:queue"), add)
