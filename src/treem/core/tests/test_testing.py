"""The shared N vs 3N query-count check catches a per-row query and passes a page that reads its rows at once."""

from __future__ import annotations

import itertools

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

from treem.core.testing import assert_queries_flat
from treem.units.models import Level, Unit
from treem.units.tests.factories import make_unit


def _page(units) -> HttpResponse:  # noqa: ANN001
    return HttpResponse("".join(f"<li>{u.name} · {u.parent.name}</li>" for u in units))


def one_query_per_row(request: HttpRequest) -> HttpResponse:
    return _page(Unit.objects.filter(level=Level.COMMUNE))


def rows_at_once(request: HttpRequest) -> HttpResponse:
    return _page(Unit.objects.filter(level=Level.COMMUNE).select_related("parent"))


urlpatterns = [path("n-plus-one/", one_query_per_row), path("at-once/", rows_at_once)]


@pytest.fixture
def add_communes(tree):  # noqa: ANN001, ANN201
    numbers = itertools.count(1)

    def add(count: int) -> list[str]:
        return [make_unit(tree.province, Level.COMMUNE, f"{3700 + i:05d}", f"Xã Thử {i}", "Xã").name
                for i in itertools.islice(numbers, count)]  # fmt: skip

    return add


@pytest.mark.urls(__name__)
def test_a_query_per_row_fails(add_communes) -> None:  # noqa: ANN001
    with pytest.raises(AssertionError, match="queries with 2 rows"):
        assert_queries_flat(Client(), "/n-plus-one/", add_communes)


@pytest.mark.urls(__name__)
def test_rows_read_at_once_pass(add_communes) -> None:  # noqa: ANN001
    assert assert_queries_flat(Client(), "/at-once/", add_communes) == 1


@pytest.mark.urls(__name__)
def test_rows_the_page_does_not_show_fail(tree) -> None:  # noqa: ANN001
    with pytest.raises(AssertionError, match="does not show"):
        assert_queries_flat(Client(), "/at-once/", lambda count: [f"Xã Vắng {i}" for i in range(count)])
