"""The activity list reads its rows in a fixed number of queries, however many it shows."""

from __future__ import annotations

import itertools

import pytest
from django.urls import reverse

from treem.core.testing import assert_queries_flat

BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.mark.django_db
def test_the_activity_list_does_not_grow_with_its_rows(client, tree, setup, specialist) -> None:  # noqa: ANN001
    numbers = itertools.count(1)
    organisers = itertools.cycle([setup.education, setup.health, None])
    kinds = itertools.cycle(["campaign", "meeting", "training"])

    def add(count: int) -> list[str]:
        titles = []
        for _ in range(count):
            i = next(numbers)
            organiser = next(organisers)
            actor = {setup.education: setup.teacher, setup.health: setup.doctor}.get(organiser, specialist)
            unit = (tree.commune, tree.sibling, tree.province)[i % 3] if organiser is None else tree.province
            activity = setup.make(actor, unit, next(kinds), f"Hoạt động số {i}", organiser=organiser, adults_male=i)
            titles.append(activity.title)
        return titles

    client.force_login(specialist, backend=BACKEND)
    assert_queries_flat(client, reverse("activities:activity_list") + "?year=2025", add)
