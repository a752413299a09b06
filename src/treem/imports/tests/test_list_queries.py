"""The import list reads its jobs in a fixed number of queries, however many it shows."""

from __future__ import annotations

import itertools

import pytest
from django.urls import reverse

from treem.accounts import roles
from treem.core.testing import assert_queries_flat
from treem.imports.models import ImportJob

BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "?status=validated"])
def test_the_import_list_does_not_grow_with_its_rows(client, tree, officer, make_user, query) -> None:  # noqa: ANN001
    numbers = itertools.count(1)

    def add(count: int) -> list[str]:
        names = []
        for _ in range(count):
            i = next(numbers)
            uploader = make_user(roles.COMMUNE_OFFICER, tree.commune, first_name=f"Người {i}", last_name="Vàng")
            job = ImportJob.objects.create(
                unit=tree.commune, unit_path=tree.commune.path, created_by=uploader, file=f"imports/so-{i}.xlsx",
                original_name=f"so-tre-em-{i}.xlsx", file_sha256=f"{i:064d}", status="validated", total_rows=i,
            )  # fmt: skip
            names.append(job.original_name)
        return names

    client.force_login(officer, backend=BACKEND)
    assert_queries_flat(client, reverse("imports:list") + query, add)
