"""The roster reads its people in a fixed number of queries, however many it shows."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.urls import reverse

from treem.accounts import roles
from treem.core.testing import assert_queries_flat
from treem.staff.models import Position, Worker

BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["officer", "viewer"])
def test_the_roster_does_not_grow_with_its_rows(client, request, tree, make_user, persona) -> None:  # noqa: ANN001
    numbers = itertools.count(1)

    def add(count: int) -> list[str]:
        shown = []
        for _ in range(count):
            i = next(numbers)
            village = (tree.village, tree.sibling_village)[i % 2]
            if i % 3:  # a person without an account
                worker = Worker.objects.create(
                    unit=village, unit_path=village.path, position=Position.COLLABORATOR, full_name=f"Người số {i}",
                    since=dt.date(2024, 1, 1),
                )  # fmt: skip
                shown.append(worker.full_name)
            else:  # an account: on the roster with its user name
                user = make_user(roles.VILLAGE_COLLABORATOR, village, username=f"cong-tac-vien-{i}")
                shown.append(user.username)
        return shown

    client.force_login(request.getfixturevalue(persona), backend=BACKEND)
    unit = tree.province if persona == "viewer" else tree.commune
    assert_queries_flat(client, f"{reverse('staff:roster')}?unit={unit.pk}", add)
