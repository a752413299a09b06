"""The children list's unit filter: the shared unit picker (searched on demand), not a <select> of every unit of
the scope on every request; the `unit` URL parameter is unchanged."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from treem.units.services import village_add

BACKEND = "django.contrib.auth.backends.ModelBackend"
pytestmark = pytest.mark.django_db


def _page(client, **params) -> str:  # noqa: ANN001, ANN003
    response = client.get(reverse("registry:child_list"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_lists_no_unit_of_the_scope(client, tree, viewer) -> None:  # noqa: ANN001
    client.force_login(viewer, backend=BACKEND)
    before = _page(client)
    for i in range(12):
        village_add(commune=tree.sibling, name=f"Thôn Mới {i}", unit_type="Thôn")
    after = _page(client)
    assert "Thôn Mới" not in after and tree.sibling.name not in after
    assert after.count("<option") == before.count("<option")
    assert 'data-testid="unit-picker"' in after and 'id="f-unit"' not in after


def test_a_chosen_unit_is_shown_and_kept_in_the_form(client, tree, viewer) -> None:  # noqa: ANN001
    client.force_login(viewer, backend=BACKEND)
    page = _page(client, unit=tree.village.pk)
    assert f'<input type="hidden" name="unit" value="{tree.village.pk}">' in page
    assert 'data-testid="unit-chosen"' in page and escape(tree.village.full_path) in page
    assert 'data-testid="book-pdf"' in page  # the filter still narrows the list to the village


def test_a_unit_out_of_scope_is_not_shown(client, tree, officer) -> None:  # noqa: ANN001
    client.force_login(officer, backend=BACKEND)
    page = _page(client, unit=tree.far_commune.pk)
    assert 'data-testid="unit-chosen"' not in page and tree.far_commune.name not in page


def test_the_picker_search_box_is_not_sent_with_the_filters(client, tree, officer) -> None:  # noqa: ANN001
    """The picker searches with `q`, as does the name search: its box belongs to no form."""
    client.force_login(officer, backend=BACKEND)
    page = _page(client)
    box = page[page.index('id="picker-unit"') :]
    box = box[: box.index(">")]
    assert 'form="' in box
