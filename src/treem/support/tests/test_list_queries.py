"""The support pages read their rounds and their rows in a fixed number of queries, however many they show."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.urls import reverse

from treem.core.dates import today_vn
from treem.core.testing import assert_queries_flat
from treem.registry import services as registry
from treem.support import services
from treem.support.models import Programme

BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.mark.django_db
def test_the_rounds_of_a_programme_do_not_grow_with_their_rows(client, tree, officer) -> None:  # noqa: ANN001
    numbers = itertools.count(1)
    programme = Programme.objects.get(code="gift-special")

    def add(count: int) -> list[str]:
        names = []
        for _ in range(count):
            i = next(numbers)
            unit = (tree.commune, tree.village)[i % 2]
            round_ = services.round_create(
                actor=officer, programme=programme, unit=unit, on=dt.date(2025, 1, i), name=f"Đợt số {i}"
            )
            names.append(round_.name)
        return names

    client.force_login(officer, backend=BACKEND)
    assert_queries_flat(client, reverse("support:programme", args=[programme.code]), add)


@pytest.mark.django_db
def test_the_list_of_a_round_does_not_grow_with_its_rows(client, tree, officer) -> None:  # noqa: ANN001
    numbers = itertools.count(1)
    round_ = services.round_create(
        actor=officer, programme=Programme.objects.get(code="gift-special"), unit=tree.commune, on=today_vn(),
        name="Quà Trung thu",
    )  # fmt: skip

    def add(count: int) -> list[str]:
        names = []
        for _ in range(count):
            i = next(numbers)
            home = registry.household_create(
                actor=officer, commune=tree.commune, village=tree.village if i % 2 else None, head_name=f"Hộ {i}"
            )
            child = registry.child_register(
                actor=officer, household=home,
                data=registry.ChildInput(full_name=f"Lò Thị Số {i}", sex="F", date_of_birth=dt.date(2016, 1, i)),
            )  # fmt: skip
            row = services.beneficiary_add(actor=officer, round_=round_, child=child, reason=f"Lý do {i}")
            if i % 3 == 0:
                services.beneficiary_exclude(actor=officer, beneficiary=row, reason=f"Đã nhận {i}")
            names += [child.full_name, f"Lý do {i}"]
        return names

    client.force_login(officer, backend=BACKEND)
    assert_queries_flat(client, reverse("support:round", args=[round_.pk]), add)
