"""The audit log speaks the reader's language: the action and the kind of record, never a code like "case"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from treem.accounts import roles
from treem.audit.services import audit_record

pytestmark = pytest.mark.django_db


def _rows(html: str) -> str:
    return html.split('data-testid="audit-table"', 1)[1].split("</table>", 1)[0]


@pytest.fixture
def logged(tree, make_user):  # noqa: ANN001, ANN201
    worker = make_user(roles.COMMUNE_OFFICER, tree.commune)
    audit_record(actor=worker, action="view", target_type="case", target_id=1, unit_path=tree.commune.path)
    audit_record(actor=worker, action="change", target_type="child", target_id=7, unit_path=tree.commune.path)
    return worker


def test_audit_list_names_the_record_and_action_in_vietnamese(client, tree, make_user, logged) -> None:  # noqa: ANN001
    client.force_login(make_user(roles.AUDITOR, tree.province), backend="django.contrib.auth.backends.ModelBackend")
    rows = _rows(client.get(reverse("audit:search")).text)
    assert "case #" not in rows and "child #" not in rows
    assert "Vụ việc #1" in rows
    assert "Trẻ em #7" in rows
    assert "Đã xem" in rows


def test_audit_list_in_english_for_an_english_reader(client, tree, make_user, logged) -> None:  # noqa: ANN001
    client.force_login(make_user(roles.AUDITOR, tree.province), backend="django.contrib.auth.backends.ModelBackend")
    client.cookies["treem_language"] = "en"
    rows = _rows(client.get(reverse("audit:search")).text)
    assert "Case #1" in rows
    assert "Child #7" in rows
    assert "Viewed" in rows


def test_an_unknown_record_type_is_shown_as_stored(client, tree, make_user) -> None:  # noqa: ANN001
    audit_record(actor=None, action="export", target_type="weird_thing", target_id=3, unit_path=tree.commune.path)
    client.force_login(make_user(roles.AUDITOR, tree.province), backend="django.contrib.auth.backends.ModelBackend")
    assert "weird_thing #3" in _rows(client.get(reverse("audit:search")).text)
