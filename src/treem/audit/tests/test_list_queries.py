"""The audit log reads its entries in a fixed number of queries, however many it shows."""

from __future__ import annotations

import itertools

import pytest
from django.urls import reverse

from treem.accounts import roles
from treem.audit.services import audit_record
from treem.core.testing import assert_queries_flat

BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "?action=view"])
def test_the_audit_log_does_not_grow_with_its_rows(client, tree, make_user, query) -> None:  # noqa: ANN001
    numbers = itertools.count(1)

    def add(count: int) -> list[str]:
        summaries = []
        for _ in range(count):
            i = next(numbers)
            worker = make_user(roles.COMMUNE_OFFICER, tree.commune, username=f"can-bo-{i}")
            event = audit_record(
                actor=worker, action="view", target_type=("case", "child")[i % 2], target_id=i,
                unit_path=tree.commune.path, summary=f"Xem hồ sơ số {i}",
            )  # fmt: skip
            summaries += [event.summary, worker.username]
        return summaries

    client.force_login(make_user(roles.AUDITOR, tree.province), backend=BACKEND)
    assert_queries_flat(client, reverse("audit:search") + query, add)
