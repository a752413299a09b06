"""Home page, unit page and unit picker: each shows only the user's subtree."""

from __future__ import annotations

import pytest
from django.urls import reverse

from treem.accounts import roles

pytestmark = pytest.mark.django_db


def _login(client, user) -> None:  # noqa: ANN001
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")


def test_home_requires_login(client) -> None:  # noqa: ANN001
    response = client.get(reverse("ui:home"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url


def test_home_shows_the_unit_and_its_sub_units_with_counts(client, tree, make_user) -> None:  # noqa: ANN001
    officer = make_user(roles.COMMUNE_OFFICER, tree.commune)
    _login(client, officer)
    response = client.get(reverse("ui:home"))
    assert response.status_code == 200
    assert "Xã Khun Há" in response.text
    assert "Bản Hon" in response.text
    assert "Bản Lầm" in response.text
    assert "Xã Bình Lư" not in response.text
    assert response.context["overview"].totals == {"village": 2}


def test_province_home_counts_communes_and_villages_below_each_child(client, tree, make_user) -> None:  # noqa: ANN001
    specialist = make_user(roles.PROVINCE_SPECIALIST, tree.province)
    make_user(roles.COMMUNE_OFFICER, tree.commune)
    _login(client, specialist)
    overview = client.get(reverse("ui:home")).context["overview"]
    rows = {row.unit.code: row for row in overview.rows}
    assert set(rows) == {"03430", "03412"}
    assert rows["03430"].counts == {"village": 2}
    assert rows["03430"].users == 1
    assert overview.totals == {"commune": 2, "village": 2}


def test_unit_page_checks_scope(client, tree, make_user) -> None:  # noqa: ANN001
    officer = make_user(roles.COMMUNE_OFFICER, tree.commune)
    _login(client, officer)
    assert client.get(reverse("ui:unit_detail", args=[tree.village.pk])).status_code == 200
    for other in (tree.sibling, tree.province, tree.far_commune):
        assert client.get(reverse("ui:unit_detail", args=[other.pk])).status_code == 404


def test_picker_finds_without_diacritics_inside_the_scope_only(client, tree, make_user) -> None:  # noqa: ANN001
    specialist = make_user(roles.PROVINCE_SPECIALIST, tree.province)
    _login(client, specialist)
    response = client.get(reverse("ui:unit_picker"), {"q": "khun ha"}, headers={"HX-Request": "true"})
    assert "Xã Khun Há" in response.text
    assert "<html" not in response.text  # only the partial
    response = client.get(reverse("ui:unit_picker"), {"q": "long khanh"})
    assert "Long Khánh" not in response.text
    assert "Không có đơn vị nào phù hợp" in response.text


def test_picker_choose_refuses_units_outside_scope(client, tree, make_user) -> None:  # noqa: ANN001
    officer = make_user(roles.COMMUNE_OFFICER, tree.commune)
    _login(client, officer)
    response = client.get(reverse("ui:unit_picker_choose"), {"id": tree.sibling.pk})
    assert f'value="{tree.sibling.pk}"' not in response.text
    response = client.get(reverse("ui:unit_picker_choose"), {"id": tree.village.pk})
    assert f'value="{tree.village.pk}"' in response.text


def test_english_is_switchable(client, tree, make_user) -> None:  # noqa: ANN001
    officer = make_user(roles.COMMUNE_OFFICER, tree.commune)
    _login(client, officer)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Sub-units" in client.get(reverse("ui:home")).text
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert "Đơn vị trực thuộc" in client.get(reverse("ui:home")).text
