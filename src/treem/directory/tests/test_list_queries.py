"""The directory list reads its providers in a fixed number of queries, however many it shows."""

from __future__ import annotations

import itertools

import pytest
from django.urls import reverse

from treem.core.testing import assert_queries_flat
from treem.directory.tests.factories import make_provider

BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "?q=số"])
@pytest.mark.parametrize("persona", ["officer", "viewer"])
def test_the_directory_does_not_grow_with_its_rows(client, request, tree, persona, query) -> None:  # noqa: ANN001
    numbers = itertools.count(1)
    kinds = itertools.cycle(["social_work_centre", "play_spot"])

    def add(count: int) -> list[str]:
        names = []
        for _ in range(count):
            i = next(numbers)
            unit = (tree.commune, tree.village)[i % 2]
            provider = make_provider(unit, next(kinds), name=f"Cơ sở số {i}", contact_name=f"Người {i}")
            names.append(provider.name)
        return names

    client.force_login(request.getfixturevalue(persona), backend=BACKEND)
    assert_queries_flat(client, reverse("directory:list") + query, add)
