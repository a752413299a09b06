"""The quality table reads its communes in a fixed number of queries, however many it ranks."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.urls import reverse

from treem.accounts import roles
from treem.core.testing import assert_queries_flat
from treem.registry import services
from treem.units.models import Level
from treem.units.tests.factories import make_unit

BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.mark.django_db
def test_the_quality_table_does_not_grow_with_its_communes(client, tree, viewer, make_user) -> None:  # noqa: ANN001
    numbers = itertools.count(1)

    def add(count: int) -> list[str]:
        names = []
        for _ in range(count):
            i = next(numbers)
            commune = make_unit(tree.province, Level.COMMUNE, f"{3500 + i:05d}", f"Xã Số {i}", "Xã")
            officer = make_user(roles.COMMUNE_OFFICER, commune)
            home = services.household_create(actor=officer, commune=commune, head_name=f"Chủ hộ {i}")
            services.child_register(
                actor=officer, household=home, guardians=[services.GuardianInput(f"Mẹ {i}", "mother")],
                data=services.ChildInput(full_name=f"Trẻ {i}", sex="F", date_of_birth=dt.date(2015, 1, i),
                                         personal_id=f"0123150{i:05d}" if i % 2 else None),
            )  # fmt: skip
            names.append(commune.name)
        return names

    client.force_login(viewer, backend=BACKEND)
    assert_queries_flat(client, reverse("quality:table"), add)
