"""Deep pages of the children list by keyset ("after this row") instead of OFFSET: the same rows in the same order
as the list, on both databases (equal names, equal and missing dates of birth: NULLs sort first on SQLite, last on
PostgreSQL), and the `after=` parameter of the page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from treem.registry import selectors, services
from treem.registry.views import PAGE_SIZE

BACKEND = "django.contrib.auth.backends.ModelBackend"
pytestmark = pytest.mark.django_db


@pytest.fixture
def many(tree, officer):  # noqa: ANN001, ANN201
    """Names that repeat, dates of birth that repeat or are missing."""
    home = services.household_create(actor=officer, commune=tree.commune, village=tree.village, head_name="Lò Văn A")
    names = ["Lò Thị An", "Lò Thị Bình", "Lò Văn An", "Giàng A Dế"]
    dobs = [dt.date(2015, 1, 1), None, dt.date(2016, 5, 5), dt.date(2015, 1, 1), None]
    for i in range(PAGE_SIZE + 23):
        services.child_register(
            actor=officer, household=home,
            data=services.ChildInput(full_name=names[i % len(names)], sex="F", date_of_birth=dobs[i % len(dobs)]),
        )  # fmt: skip


def test_every_row_after_a_row_in_the_list_order(officer, many) -> None:  # noqa: ANN001
    qs = selectors.child_list(officer, selectors.ChildFilter())
    ordered = list(qs.values_list("pk", flat=True))
    assert len(ordered) == PAGE_SIZE + 23
    for i, pk in enumerate(ordered):
        after = selectors.child_list_after(officer, qs, pk)
        assert after is not None
        assert list(after.values_list("pk", flat=True)) == ordered[i + 1 :]


def test_a_row_the_user_does_not_see_is_no_cursor(officer, sibling_officer, many) -> None:  # noqa: ANN001
    qs = selectors.child_list(sibling_officer, selectors.ChildFilter())
    theirs = selectors.child_list(officer, selectors.ChildFilter()).first()
    assert selectors.child_list_after(sibling_officer, qs, theirs.pk) is None


def test_the_next_page_by_keyset(client, officer, many) -> None:  # noqa: ANN001
    client.force_login(officer, backend=BACKEND)
    url = reverse("registry:child_list")
    ordered = list(selectors.child_list(officer, selectors.ChildFilter()).values_list("pk", flat=True))
    first = client.get(url)
    assert [c.pk for c in first.context["page"].object_list] == ordered[:PAGE_SIZE]  # the first page as before
    nxt = first.context["next_query"]
    assert f"after={ordered[PAGE_SIZE - 1]}" in nxt and "page=2" in nxt
    second = client.get(f"{url}?{nxt}")
    assert [c.pk for c in second.context["page"].object_list] == ordered[PAGE_SIZE:]
    assert second.context["page"].number == 2 and not second.context["page"].has_next()
    text = second.content.decode()
    assert "page=1" in text and "Trang 2/" in text
    assert client.get(url, {"page": 2}).context["page"].object_list == second.context["page"].object_list  # OFFSET


def test_a_stale_cursor_falls_back_to_the_numbered_page(client, officer, many) -> None:  # noqa: ANN001
    client.force_login(officer, backend=BACKEND)
    url = reverse("registry:child_list")
    page = client.get(url, {"after": 999_999, "page": 1}).context["page"]
    ordered = list(selectors.child_list(officer, selectors.ChildFilter()).values_list("pk", flat=True))
    assert [c.pk for c in page.object_list] == ordered[:PAGE_SIZE]


def test_every_row_before_a_row_nearest_first(officer, many) -> None:  # noqa: ANN001
    qs = selectors.child_list(officer, selectors.ChildFilter())
    ordered = list(qs.values_list("pk", flat=True))
    for i, pk in enumerate(ordered):
        before = selectors.child_list_before(officer, qs, pk)
        assert before is not None
        assert list(before.values_list("pk", flat=True)) == ordered[:i][::-1]


def test_the_previous_page_by_keyset(client, officer, many, monkeypatch) -> None:  # noqa: ANN001
    """Three pages of 30: from page 3 back to page 2 by `before=` its first row, then to the plain first page."""
    import treem.registry.views as views

    monkeypatch.setattr(views, "PAGE_SIZE", 30)
    client.force_login(officer, backend=BACKEND)
    url = reverse("registry:child_list")
    ordered = list(selectors.child_list(officer, selectors.ChildFilter()).values_list("pk", flat=True))
    second = client.get(f"{url}?{client.get(url).context['next_query']}")
    third = client.get(f"{url}?{second.context['next_query']}")
    assert [c.pk for c in third.context["page"].object_list] == ordered[60:]
    back = third.context["previous_query"]
    assert f"before={ordered[60]}" in back and "page=2" in back and "after=" not in back
    again = client.get(f"{url}?{back}")
    assert [c.pk for c in again.context["page"].object_list] == ordered[30:60]
    assert again.context["page"].number == 2 and again.context["page"].has_next()
    assert f"after={ordered[59]}" in again.context["next_query"]
    first = again.context["previous_query"]
    assert "before=" not in first and "page=1" in first
    assert [c.pk for c in client.get(f"{url}?{first}").context["page"].object_list] == ordered[:30]


def test_a_stale_before_cursor_falls_back_to_the_numbered_page(client, officer, many) -> None:  # noqa: ANN001
    client.force_login(officer, backend=BACKEND)
    page = client.get(reverse("registry:child_list"), {"before": 999_999, "page": 1}).context["page"]
    ordered = list(selectors.child_list(officer, selectors.ChildFilter()).values_list("pk", flat=True))
    assert [c.pk for c in page.object_list] == ordered[:PAGE_SIZE]
