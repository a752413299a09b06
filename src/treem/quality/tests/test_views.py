"""The data-quality pages: the ranked table by scope, the drill-down to the registry list, a commune's page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from treem.quality.services import snapshot_take
from treem.quality.tests.conftest import _child

pytestmark = pytest.mark.django_db


def login(client, user) -> None:  # noqa: ANN001
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")


def test_the_province_sees_the_communes_worst_first_and_drills_down(client, tree, built, viewer) -> None:  # noqa: ANN001
    login(client, viewer)
    home = client.get("/")
    assert reverse("quality:table") in home.text  # in the menu
    response = client.get(reverse("quality:table"))
    assert response.status_code == 200
    assert [r.commune for r in response.context["ranked"]] == [tree.commune, tree.sibling]
    link = f"{reverse('registry:child_list')}?unit={tree.commune.pk}&amp;no_id=1"
    assert link in response.text
    listing = client.get(reverse("registry:child_list"), {"unit": tree.commune.pk, "no_id": "1"})
    names = [c.full_name for c in listing.context["page"].object_list]
    assert names == ["Lò Thị Pa"]  # the one active child without ID (not the one who moved away)


def test_a_commune_page_with_its_trend_and_404_out_of_scope(client, tree, built, officer, sibling_officer) -> None:  # noqa: ANN001
    snapshot_take()
    login(client, officer)
    page = client.get(reverse("quality:commune", args=[tree.commune.pk]))
    assert page.status_code == 200
    assert page.context["f"].children == 4
    assert len(page.context["months"]) == 1
    assert 'data-testid="quality-trend"' in page.text
    assert client.get(reverse("quality:commune", args=[tree.sibling.pk])).status_code == 404
    table = client.get(reverse("quality:table"))
    assert [r.commune for r in table.context["ranked"]] == [tree.commune]  # own commune only


def test_without_the_registry_the_page_is_refused(client, tree, make_user) -> None:  # noqa: ANN001
    login(client, make_user("agency_reporter", tree.province))
    assert client.get(reverse("quality:table")).status_code == 403


def test_a_collaborators_drill_down_lists_the_children_counted(client, tree, built, make_user) -> None:  # noqa: ANN001
    """A collaborator's figures are of their village (within its commune's row): the link shows those children."""
    collaborator = make_user("village_collaborator", tree.village)
    _child(collaborator, built.households[0], "Sùng A Chô", "M", None)  # in the village, no ID
    login(client, collaborator)
    response = client.get(reverse("quality:table"))
    [row] = response.context["ranked"]
    assert row.no_id == 1
    link = f"{reverse('registry:child_list')}?unit={tree.village.pk}&amp;no_id=1"
    assert link in response.text
    assert reverse("quality:commune", args=[tree.commune.pk]) not in response.text  # the commune's page is not theirs
    listing = client.get(reverse("registry:child_list"), {"unit": tree.village.pk, "no_id": "1"})
    assert [c.full_name for c in listing.context["page"].object_list] == ["Sùng A Chô"]
