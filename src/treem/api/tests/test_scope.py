"""The API's scope and confidentiality mirror the pages': the same personas get the same 404s and 403s, and case
reads are audited like the case pages'."""

from __future__ import annotations

import pytest
from django.test import override_settings

from treem.accounts import permissions, roles
from treem.audit.models import AuditEvent
from treem.cases.tests.test_access import MATRIX
from treem.cases.tests.test_confidential_groups import HIDDEN, SEEING

pytestmark = pytest.mark.django_db


def test_child_detail_checks_scope_like_the_page(api_as, officer, sibling_officer, viewer, child) -> None:  # noqa: ANN001
    """registry test_detail_checks_scope: the sibling commune's officer gets 404, the province viewer reads."""
    assert api_as(officer).get(f"/children/{child.pk}").status_code == 200
    assert api_as(viewer).get(f"/children/{child.pk}").status_code == 200
    response = api_as(sibling_officer).get(f"/children/{child.pk}")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Không tìm thấy."}


def test_lists_are_scoped(api_as, officer, sibling_officer, child, sibling_child, household) -> None:  # noqa: ANN001
    ids = [c["id"] for c in api_as(officer).get("/children").json()["items"]]
    assert ids == [child.pk]
    ids = [c["id"] for c in api_as(sibling_officer).get("/children").json()["items"]]
    assert ids == [sibling_child.pk]
    assert api_as(sibling_officer).get(f"/households/{household.pk}").status_code == 404
    assert api_as(officer).get(f"/households/{household.pk}").json()["head_name"] == "Sùng A Páo"


def test_an_out_of_scope_unit_filter_shows_no_one(api_as, officer, child, sibling_child, tree) -> None:  # noqa: ANN001
    assert api_as(officer).get("/children", {"unit": tree.sibling.pk}).json()["count"] == 0
    assert api_as(officer).get(f"/units/{tree.sibling.pk}").status_code == 404
    assert api_as(officer).get(f"/units/{tree.commune.pk}/subtree").json()["count"] == 3  # commune + 2 villages


def test_search_filters_and_updated_since(api_as, officer, child, household) -> None:  # noqa: ANN001
    api = api_as(officer)
    assert api.get("/children", {"q": "sua"}).json()["count"] == 1
    assert api.get("/children", {"q": "pao"}).json()["count"] == 1  # the father's name, as the list searches
    assert api.get("/children", {"sex": "M"}).json()["count"] == 0
    later = child.updated_at.isoformat()
    assert api.get("/children", {"updated_since": later}).json()["count"] == 1
    assert api.get("/children", {"updated_since": "2999-01-01T00:00:00Z"}).json()["count"] == 0
    page = api.get("/children", {"page": 2, "page_size": 1}).json()
    assert (page["count"], page["page"], page["items"]) == (1, 2, [])


def test_a_missing_capability_is_403_in_scope(api_as, tree, make_user, child) -> None:  # noqa: ANN001
    reporter = make_user(roles.AGENCY_REPORTER, tree.province)
    expected = 200 if permissions.SEE_REGISTRY.allows(reporter) else 403
    assert api_as(reporter).get("/children").status_code == expected


@pytest.mark.parametrize(("role", "where", "sees"), MATRIX)
def test_case_confidentiality_matrix(api_as, case, tree, make_user, role, where, sees) -> None:  # noqa: ANN001
    """cases test_confidentiality_matrix_for_reads: the dashboard's 200/403, then 200 or 404 for the case."""
    user = make_user(role, getattr(tree, where))
    api = api_as(user)
    listing = api.get("/cases", {"status": case.status})
    assert listing.status_code == (200 if permissions.SEE_CASES.allows(user) else 403)
    if listing.status_code == 200:
        assert ([c["code"] for c in listing.json()["items"]] == [case.code]) is sees
    detail = api.get(f"/cases/{case.pk}")
    if permissions.SEE_CASES.allows(user):
        assert detail.status_code == (200 if sees else 404)
    else:
        assert detail.status_code == 403


def test_case_reads_are_audited_like_the_pages(api_as, case, worker) -> None:  # noqa: ANN001
    api = api_as(worker)
    before = AuditEvent.objects.count()
    assert api.get(f"/cases/{case.pk}").json()["code"] == case.code
    assert api.get("/cases").json()["count"] == 1
    rows = list(AuditEvent.objects.order_by("pk")[before:])
    assert [(r.action, r.target_type) for r in rows] == [("view", "case"), ("list", "case")]
    assert all(r.actor_id == worker.pk for r in rows)


@pytest.mark.parametrize(("role", "where", "superuser"), HIDDEN)
def test_a_case_derived_group_is_hidden_like_on_the_child_page(
    api_as,
    abuse_case,
    child,
    group_l,
    tree,
    make_user,
    role,
    where,
    superuser,  # noqa: ANN001
) -> None:
    user = make_user(role, getattr(tree, where), is_superuser=superuser, is_staff=superuser)
    api = api_as(user)
    detail = api.get(f"/children/{child.pk}")
    if detail.status_code == 200:
        assert "l" not in [c["type_code"] for c in detail.json()["circumstances"]]
    listing = api.get("/circumstances", {"child": child.pk})
    if listing.status_code == 200:
        assert "l" not in [c["type_code"] for c in listing.json()["items"]]
    assert not AuditEvent.objects.filter(target_type="circumstance").exists()


@pytest.mark.parametrize(("role", "where"), SEEING)
def test_a_case_derived_group_is_shown_and_audited_to_those_who_see_the_case(
    api_as,
    abuse_case,
    child,
    group_l,
    tree,
    make_user,
    role,
    where,  # noqa: ANN001
) -> None:
    api = api_as(make_user(role, getattr(tree, where)))
    assert "l" in [c["type_code"] for c in api.get(f"/children/{child.pk}").json()["circumstances"]]
    assert AuditEvent.objects.filter(target_type="circumstance").count() == 1
    assert "l" in [c["type_code"] for c in api.get("/circumstances", {"child": child.pk}).json()["items"]]
    assert AuditEvent.objects.filter(target_type="circumstance").count() == 2


def test_errors_speak_the_requests_language(api_as, officer) -> None:  # noqa: ANN001
    api = api_as(officer)
    assert api.get("/children/999999").json() == {"code": "not_found", "message": "Không tìm thấy."}
    assert api.get("/children/999999", lang="en").json() == {"code": "not_found", "message": "Not found."}
    invalid = api.get("/children", {"page": "x"}, lang="en").json()
    assert invalid["code"] == "invalid"
    assert "page" in invalid["message"]


def test_the_rate_limit_is_per_token(api_as, officer, sibling_officer) -> None:  # noqa: ANN001
    from django.core.cache import cache

    cache.clear()
    first, second = api_as(officer), api_as(sibling_officer)
    with override_settings(TREEM_API_RATE="3/m"):
        assert [first.get("/units").status_code for _ in range(3)] == [200, 200, 200]
        limited = first.get("/units", lang="en")
        assert limited.status_code == 429
        assert limited.json()["code"] == "rate_limited"
        assert second.get("/units").status_code == 200
    cache.clear()


def test_the_documents_are_served_offline(client) -> None:  # noqa: ANN001
    schema = client.get("/api/openapi.json")
    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.")
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert "cdn" not in docs.text
    assert "swagger-ui-bundle.js" in docs.text


def test_unit_search_is_scoped_and_needs_no_diacritics(api_as, officer, viewer, tree) -> None:  # noqa: ANN001
    found = [u["code"] for u in api_as(viewer).get("/units", {"q": "khun ha"}).json()["items"]]
    assert found == ["03430", "03430-001", "03430-002"]  # the commune first, then its villages
    assert api_as(officer).get("/units", {"q": "binh lu"}).json()["count"] == 0  # the sibling commune
    assert api_as(officer).get("/units", {"code": "03430"}).json()["items"][0]["id"] == tree.commune.pk
    assert [u["name"] for u in api_as(officer).get("/villages").json()["items"]] == ["Bản Hon", "Bản Lầm"]


def test_more_tokens_of_one_user_share_its_rate_limit(api_as, officer) -> None:  # noqa: ANN001
    """A user who makes another token (or uses the browser session) does not get another allowance."""
    from django.core.cache import cache

    cache.clear()
    first, second = api_as(officer), api_as(officer)
    with override_settings(TREEM_API_RATE="3/m"):
        assert [first.get("/units").status_code for _ in range(3)] == [200, 200, 200]
        assert second.get("/units").status_code == 429
    cache.clear()
