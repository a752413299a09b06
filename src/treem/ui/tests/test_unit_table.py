"""The sub-unit table of a unit page: rows in name order, and only the columns that have something to count."""

from __future__ import annotations

import pytest
from django.urls import reverse

from treem.accounts import roles
from treem.units.models import Level
from treem.units.tests.factories import make_unit

pytestmark = pytest.mark.django_db


def _login(client, user) -> None:  # noqa: ANN001
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")


def _table_headers(html: str) -> str:
    return html.split('data-testid="subunits"', 1)[1].split("</thead>", 1)[0]


def test_province_table_sorts_communes_by_name_and_has_no_empty_commune_column(client, tree, make_user) -> None:  # noqa: ANN001
    make_unit(tree.province, Level.COMMUNE, "03400", "Xã Tam Đường", "Xã")  # first by code, last by name
    make_unit(tree.province, Level.COMMUNE, "03450", "Phường Đoàn Kết", "Phường")
    _login(client, make_user(roles.PROVINCE_SPECIALIST, tree.province))
    response = client.get(reverse("ui:unit_detail", args=[tree.province.pk]))
    names = [row.unit.name for row in response.context["overview"].rows]
    assert names == ["Xã Bình Lư", "Phường Đoàn Kết", "Xã Khun Há", "Xã Tam Đường"]
    headers = _table_headers(response.text)
    assert "Xã, phường" not in headers  # communes have no communes below them
    assert "Thôn, bản" in headers


def test_nation_table_keeps_the_commune_column(client, tree, make_user) -> None:  # noqa: ANN001
    _login(client, make_user(roles.CENTRAL_VIEWER, tree.nation))
    response = client.get(reverse("ui:unit_detail", args=[tree.nation.pk]))
    assert "Xã, phường" in _table_headers(response.text)
    assert [row.unit.name for row in response.context["overview"].rows] == ["Tỉnh Đồng Nai", "Tỉnh Lai Châu"]
