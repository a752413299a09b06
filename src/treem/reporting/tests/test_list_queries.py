"""The status of a cycle reads its sub-units in a fixed number of queries, however many report."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.urls import reverse

from treem.accounts import roles
from treem.core.testing import assert_queries_flat
from treem.reporting import services
from treem.reporting.tests.conftest import at, submit_on
from treem.units.models import Level
from treem.units.tests.factories import make_unit

BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.mark.django_db
def test_the_status_of_a_cycle_does_not_grow_with_its_units(client, tree, cycle, province_officer, make_user) -> None:  # noqa: ANN001
    numbers = itertools.count(1)

    def add(count: int) -> list[str]:
        names = []
        for _ in range(count):
            i = next(numbers)
            commune = make_unit(tree.province, Level.COMMUNE, f"{3600 + i:05d}", f"Xã Báo Cáo {i}", "Xã")
            if i % 3:  # a third of them has not started
                officer = make_user(roles.COMMUNE_OFFICER, commune)
                report = services.start_report(cycle=cycle, unit=commune, actor=officer)
                if i % 3 == 2:
                    submit_on(report, officer, at(dt.date(2025, 5, i)))
            names.append(commune.name)
        return names

    client.force_login(province_officer, backend=BACKEND)
    assert_queries_flat(client, reverse("reporting:cycle", args=[cycle.pk]), add)
