"""Review pages: the persona trio (officer, sibling commune's officer, read-only province viewer)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from treem.matching.models import CandidateStatus, MatchCandidate, MatchRun, Merge
from treem.registry.models import Child

pytestmark = pytest.mark.django_db


def login(client, user) -> None:  # noqa: ANN001
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")


def test_the_queue_lists_pairs_in_scope(client, officer, sibling_officer, candidate) -> None:  # noqa: ANN001
    login(client, officer)
    response = client.get(reverse("matching:queue"))
    assert list(response.context["page"].object_list) == [candidate]
    assert "Sung Thi Sua" in response.text
    login(client, sibling_officer)
    assert list(client.get(reverse("matching:queue")).context["page"].object_list) == []


def test_it_checks_scope(client, sibling_officer, candidate) -> None:  # noqa: ANN001
    login(client, sibling_officer)
    url = reverse("matching:pair", args=[candidate.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "different"}).status_code == 404
    assert client.post(reverse("matching:undo", args=[candidate.pk])).status_code == 404
    assert MatchCandidate.objects.get().status == CandidateStatus.PENDING


def test_it_requires_the_review_rule(client, viewer, candidate) -> None:  # noqa: ANN001
    """The province viewer has no Duplicates menu item, so no duplicates page either (one rule for both)."""
    login(client, viewer)
    url = reverse("matching:pair", args=[candidate.pk])
    assert client.get(url).status_code == 403
    assert client.get(reverse("matching:queue")).status_code == 403
    assert client.post(url, {"decision": "different"}).status_code == 403
    assert client.post(reverse("matching:run_start")).status_code == 403
    assert MatchCandidate.objects.get().status == CandidateStatus.PENDING


def test_the_pair_page_highlights_differences(client, officer, candidate) -> None:  # noqa: ANN001
    login(client, officer)
    response = client.get(reverse("matching:pair", args=[candidate.pk]))
    rows = {row.field: row for row in response.context["rows"] if row.field}
    assert rows["full_name"].differs and rows["full_name"].choose
    assert not rows["date_of_birth"].differs
    assert [s.text for s in rows["full_name"].a if s.differs] == ["ù", "ị"]
    assert "<mark>ù</mark>" in response.text


def test_merge_from_the_page_with_the_chosen_values(client, officer, child, twice, candidate) -> None:  # noqa: ANN001
    login(client, officer)
    response = client.post(
        reverse("matching:pair", args=[candidate.pk]),
        {
            "decision": "merged",
            "keep": "b",
            "f_full_name": "a",
            "f_personal_id": "a",
            "f_ethnicity": "a",
            "confirmed": "1",
        },
    )
    assert response.status_code == 302
    kept = Child.objects.get(pk=twice.pk)
    assert (kept.full_name, kept.personal_id, kept.ethnicity) == ("Sùng Thị Sua", "012313000123", "Mông")
    merge = Merge.objects.get()
    assert merge.survivor_id == twice.pk and merge.other_id == child.pk and merge.merged_by == officer
    page = client.get(reverse("matching:pair", args=[candidate.pk]))
    assert page.context["decided"] and 'data-testid="undo-merge"' in page.text
    client.post(reverse("matching:undo", args=[candidate.pk]))
    assert Child.objects.get(pk=child.pk).personal_id == "012313000123"
    assert MatchCandidate.objects.get().status == CandidateStatus.UNSURE


def test_different_children_leave_the_queue(client, officer, candidate) -> None:  # noqa: ANN001
    login(client, officer)
    client.post(reverse("matching:pair", args=[candidate.pk]), {"decision": "different"})
    assert MatchCandidate.objects.get().status == CandidateStatus.DIFFERENT
    assert list(client.get(reverse("matching:queue")).context["page"].object_list) == []
    response = client.get(reverse("matching:queue"), {"status": "different"})
    assert list(response.context["page"].object_list) == [candidate]


def test_a_run_from_the_page_runs_in_the_background(  # noqa: ANN001
    client, officer, child, twice, django_capture_on_commit_callbacks
) -> None:
    login(client, officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("matching:run_start"))
    run = MatchRun.objects.get()
    assert response.url == reverse("matching:run", args=[run.pk])
    assert run.status == "done" and run.new_pairs == 1 and run.created_by == officer
    page = client.get(response.url)
    assert page.status_code == 200 and page.context["run"].progress_percent == 100
    partial = client.get(response.url, headers={"HX-Request": "true"})
    assert "<html" not in partial.text and partial["HX-Refresh"] == "true"


def test_twins_one_letter_apart_carry_a_warning(client, officer, candidate) -> None:  # noqa: ANN001
    login(client, officer)
    url = reverse("matching:pair", args=[candidate.pk])
    assert 'data-testid="twin-warning"' not in client.get(url).text
    candidate.features = {**candidate.features, "given_name": "typo", "household": "same"}
    candidate.save()
    assert 'data-testid="twin-warning"' in client.get(url).text


@pytest.mark.parametrize("role", ["auditor", "agency_reporter", "central_viewer", "village_collaborator"])
def test_undo_refuses_whoever_may_not_review_duplicates_alike_for_existing_and_missing_pairs(
    client, tree, make_user, candidate, role
) -> None:  # noqa: ANN001
    """No role without the review rule learns whether a pair exists: the same 403 before anything is read."""
    unit = tree.village if role == "village_collaborator" else tree.province
    login(client, make_user(role, unit))
    existing = client.post(reverse("matching:undo", args=[candidate.pk]))
    missing = client.post(reverse("matching:undo", args=[candidate.pk + 1000]))
    assert (existing.status_code, missing.status_code) == (403, 403)


def test_a_village_collaborator_can_neither_open_the_duplicates_nor_start_a_run(
    client, tree, make_user, candidate
) -> None:  # noqa: ANN001
    login(client, make_user("village_collaborator", tree.village))
    assert client.get(reverse("matching:queue")).status_code == 403
    assert client.get(reverse("matching:pair", args=[candidate.pk])).status_code == 403
    assert client.post(reverse("matching:run_start")).status_code == 403
    assert not MatchRun.objects.filter(created_by__isnull=False).exists()
