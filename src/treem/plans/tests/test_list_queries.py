"""The task list reads its tasks in a fixed number of queries, however many it shows."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.urls import reverse

from treem.core.testing import assert_queries_flat
from treem.plans import services
from treem.plans.models import EventKind

BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["specialist", "teacher"])
@pytest.mark.parametrize("query", ["", "?overdue=1"])
def test_the_task_list_does_not_grow_with_its_rows(client, tree, setup, specialist, persona, query) -> None:  # noqa: ANN001
    numbers = itertools.count(1)
    event = EventKind.objects.get(code="month_of_action")

    def add(count: int) -> list[str]:
        titles = []
        for _ in range(count):
            i = next(numbers)
            plan = services.plan_create(
                actor=specialist, unit=tree.province, year=2020 + i % 6, title=f"Kế hoạch số {i}"
            )
            section = services.section_create(actor=specialist, plan=plan, number=f"I.{i}", title=f"Mục {i}")
            task = services.task_create(
                actor=specialist, section=section, title=f"Nhiệm vụ số {i}",
                deadline=dt.date(2026, 1, i), agency=(setup.education, setup.health)[i % 2] if i % 3 else None,
                assignee_unit=None if i % 3 else tree.commune, event_kind=event if i % 2 else None,
            )  # fmt: skip
            if persona == "specialist" or task.agency == setup.education:
                titles.append(task.title)
        return titles

    user = setup.teacher if persona == "teacher" else specialist
    client.force_login(user, backend=BACKEND)
    assert_queries_flat(client, reverse("plans:my_tasks") + query, add)
