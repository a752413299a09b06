"""Test helper shared by every app: a list page's query count must not grow with its rows (no N+1)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import connection
from django.test.client import Client
from django.test.utils import CaptureQueriesContext


def _render(client: Client, url: str, headers: dict[str, str]) -> str:
    response = client.get(url, headers=headers)
    if response.status_code != 200:
        raise AssertionError(f"{url} answered {response.status_code}")
    return response.content.decode()


def assert_queries_flat(
    client: Client,
    url: str,
    add_rows: Callable[[int], Iterable[str]],
    *,
    n: int = 2,
    headers: dict[str, str] | None = None,
) -> int:
    """Render ``url`` with ``n`` rows and with ``3 n`` rows and assert both took the same number of queries.

    ``add_rows(count)`` creates ``count`` more rows the page lists and returns, for each, a text the page must show
    (so the rows are really rendered: a per-row query would then show up as a larger count). The client must be
    logged in. Returns the query count, for a caller that also wants an upper bound.
    """
    headers = headers or {}
    shown = list(add_rows(n))
    _render(client, url, headers)  # warm-up: per-process caches (content types, capabilities, the session row)
    with CaptureQueriesContext(connection) as few:
        content = _render(client, url, headers)
    _assert_shown(content, shown, url)
    shown += list(add_rows(2 * n))
    with CaptureQueriesContext(connection) as many:
        content = _render(client, url, headers)
    _assert_shown(content, shown, url)
    if len(many) != len(few):
        extra = [q["sql"] for q in many.captured_queries[len(few) :]]
        raise AssertionError(
            f"{url}: {len(few)} queries with {n} rows, {len(many)} with {3 * n}; the last ones:\n" + "\n".join(extra)
        )
    return len(few)


def _assert_shown(content: str, shown: list[str], url: str) -> None:
    missing = [text for text in shown if text not in content]
    if missing:
        raise AssertionError(f"{url} does not show {missing}")
