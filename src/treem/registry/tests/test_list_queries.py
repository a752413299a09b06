"""The children list reads its rows in a fixed number of queries, however many rows it shows."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.urls import reverse

from treem.core.testing import assert_queries_flat
from treem.registry import services
from treem.registry.models import CircumstanceType

BACKEND = "django.contrib.auth.backends.ModelBackend"


def _adder(officer, tree):  # noqa: ANN001, ANN202
    numbers = itertools.count(1)
    special = CircumstanceType.objects.filter(kind="special").first()

    def add(count: int) -> list[str]:
        names = []
        for _ in range(count):
            i = next(numbers)
            household = services.household_create(
                actor=officer, commune=tree.commune, village=tree.village, head_name=f"Chủ hộ {i}"
            )
            name = f"Vàng Thị Số {i:03d}"
            child = services.child_register(
                actor=officer, household=household,
                data=services.ChildInput(full_name=name, sex="F", date_of_birth=dt.date(2015, 1, i % 28 + 1),
                                         personal_id=f"0123150{i:05d}"),
                guardians=[services.GuardianInput(f"Vàng A Bố {i}", "father")],
            )  # fmt: skip
            services.circumstance_add(actor=officer, child=child, type=special, valid_from=dt.date(2024, 1, 1))
            names.append(name)
        return names

    return add


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "?q=vang thi so", "?sex=F&age=6-15"])
@pytest.mark.parametrize("htmx", [False, True])
def test_the_children_list_does_not_grow_with_its_rows(client, tree, officer, query, htmx) -> None:  # noqa: ANN001
    client.force_login(officer, backend=BACKEND)
    headers = {"HX-Request": "true"} if htmx else {}
    assert_queries_flat(client, reverse("registry:child_list") + query, _adder(officer, tree), headers=headers)


@pytest.mark.django_db
def test_the_children_list_of_a_province_user_does_not_grow_with_its_rows(client, tree, officer, viewer) -> None:  # noqa: ANN001
    client.force_login(viewer, backend=BACKEND)
    assert_queries_flat(client, reverse("registry:child_list"), _adder(officer, tree))


@pytest.mark.django_db
def test_a_page_by_keyset_does_not_grow_with_its_rows(client, tree, officer, household) -> None:  # noqa: ANN001
    cursor = services.child_register(
        actor=officer, household=household,
        data=services.ChildInput(full_name="Âu Thị An", sex="F", date_of_birth=dt.date(2015, 1, 1)),
    )  # fmt: skip
    client.force_login(officer, backend=BACKEND)
    url = f"{reverse('registry:child_list')}?after={cursor.pk}&page=2"
    assert_queries_flat(client, url, _adder(officer, tree))


def test_a_previous_page_by_keyset_does_not_grow_with_its_rows(client, tree, officer, household) -> None:  # noqa: ANN001
    cursor = services.child_register(
        actor=officer, household=household,
        data=services.ChildInput(full_name="Ỷ Thị Yên", sex="F", date_of_birth=dt.date(2015, 1, 1)),
    )  # fmt: skip
    client.force_login(officer, backend=BACKEND)
    url = f"{reverse('registry:child_list')}?before={cursor.pk}&page=2"
    assert_queries_flat(client, url, _adder(officer, tree))
