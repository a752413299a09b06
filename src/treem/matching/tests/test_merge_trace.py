"""A merge asks before it merges, and leaves its trace on the surviving child: who, when, which record it absorbed,
and an undo for those who may undo it; the merged-away record says where it went."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from treem.matching import services
from treem.matching.models import CandidateStatus, MatchCandidate, Merge
from treem.registry import services as registry
from treem.registry.models import Child
from treem.registry.tests.conftest import special

pytestmark = pytest.mark.django_db


def login(client, user) -> None:  # noqa: ANN001
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")


# --- the confirmation step -------------------------------------------------------------------------------------


def test_merging_asks_first_showing_both_records_and_what_will_happen(client, officer, candidate, child, twice) -> None:  # noqa: ANN001
    registry.circumstance_add(actor=officer, child=twice, type=special("h"), valid_from=dt.date(2024, 3, 1))
    login(client, officer)
    url = reverse("matching:pair", args=[candidate.pk])
    response = client.post(url, {"decision": "merged", "keep": "a", "f_full_name": "a", "f_ethnicity": "a"})
    assert response.status_code == 200
    assert not Merge.objects.exists()
    assert MatchCandidate.objects.get().status == CandidateStatus.PENDING
    assert Child.objects.get(pk=twice.pk).merged_into_id is None
    text = response.text
    assert 'data-testid="merge-confirm"' in text
    assert "Sùng Thị Sua" in text and "Sung Thi Sua" in text  # both records
    assert f"#{twice.pk}" in text and f"#{child.pk}" in text
    # what will happen: the record kept, the one merged away, what moves over
    assert f"Hồ sơ #{twice.pk} sẽ được gộp vào hồ sơ #{child.pk}" in text
    assert "1 hoàn cảnh" in text  # twice's group moves over (the father is the same person: nothing to move)
    # the confirmation carries the choices made on the comparison
    assert 'name="confirmed"' in text and 'name="f_full_name" value="a"' in text and 'name="keep" value="a"' in text


def test_merging_happens_only_after_confirming(client, officer, candidate, child, twice) -> None:  # noqa: ANN001
    login(client, officer)
    url = reverse("matching:pair", args=[candidate.pk])
    data = {"decision": "merged", "keep": "a", "f_full_name": "a", "f_ethnicity": "a", "confirmed": "1"}
    response = client.post(url, data)
    assert response.status_code == 302
    merge = Merge.objects.get()
    assert (merge.survivor_id, merge.other_id) == (child.pk, twice.pk)


def test_the_other_decisions_need_no_confirmation(client, officer, candidate) -> None:  # noqa: ANN001
    login(client, officer)
    response = client.post(reverse("matching:pair", args=[candidate.pk]), {"decision": "different"})
    assert response.status_code == 302
    assert MatchCandidate.objects.get().status == CandidateStatus.DIFFERENT


# --- the trace on the children -----------------------------------------------------------------------------------


@pytest.fixture
def merged(officer, candidate, child, twice) -> Merge:  # noqa: ANN001
    services.decide(actor=officer, candidate=candidate, decision=CandidateStatus.MERGED, keep=child)
    return Merge.objects.get()


def test_the_surviving_child_shows_the_merge_with_who_when_which_record_and_undo(
    client, officer, merged, child, twice
) -> None:  # noqa: ANN001, E501
    login(client, officer)
    text = client.get(reverse("registry:child_detail", args=[child.pk])).text
    assert 'data-testid="merges"' in text
    who = officer.get_full_name() or officer.username
    assert who in text
    assert merged.merged_at.astimezone().strftime("%d/%m/%Y") in text
    assert f"#{twice.pk}" in text and "Sung Thi Sua" in text
    assert reverse("matching:merge_undo", args=[merged.pk]) in text


def test_the_history_names_the_merge_even_when_no_value_changed(client, officer, merged, child, twice) -> None:  # noqa: ANN001
    login(client, officer)
    response = client.get(reverse("registry:child_detail", args=[child.pk]))
    reasons = [e.reason for e in response.context["timeline"]]
    assert f"Gộp hồ sơ trùng #{twice.pk} vào hồ sơ #{child.pk}" in reasons
    assert f"Gộp hồ sơ trùng #{twice.pk} vào hồ sơ #{child.pk}" in response.text


def test_the_merged_away_record_leads_to_the_record_kept(
    client, officer, sibling_officer, merged, child, twice
) -> None:  # noqa: ANN001, E501
    login(client, officer)
    response = client.get(reverse("registry:child_detail", args=[twice.pk]))
    assert response.status_code == 302 and response.url == reverse("registry:child_detail", args=[child.pk])
    assert f"Hồ sơ #{twice.pk} đã được gộp vào hồ sơ này." in client.get(response.url).text
    login(client, sibling_officer)  # out of scope: as missing
    assert client.get(reverse("registry:child_detail", args=[twice.pk])).status_code == 404


def test_whoever_may_not_undo_sees_the_trace_without_the_undo(client, viewer, merged, child) -> None:  # noqa: ANN001
    login(client, viewer)
    text = client.get(reverse("registry:child_detail", args=[child.pk])).text
    assert 'data-testid="merges"' in text
    assert reverse("matching:merge_undo", args=[merged.pk]) not in text
    assert client.post(reverse("matching:merge_undo", args=[merged.pk])).status_code == 403
    assert Merge.objects.get().undone_at is None


def test_undo_from_the_child_page(client, officer, merged, child, twice) -> None:  # noqa: ANN001
    login(client, officer)
    response = client.post(reverse("matching:merge_undo", args=[merged.pk]))
    assert response.status_code == 302 and response.url == reverse("registry:child_detail", args=[child.pk])
    merged.refresh_from_db()
    assert merged.undone_at is not None and merged.undone_by == officer
    assert Child.objects.get(pk=twice.pk).merged_into_id is None
    text = client.get(response.url).text
    assert "hoàn tác" in text.lower()  # the panel keeps the undone merge, marked as undone
    assert reverse("matching:merge_undo", args=[merged.pk]) not in text


def test_undo_of_another_communes_merge_is_404(client, sibling_officer, merged) -> None:  # noqa: ANN001
    login(client, sibling_officer)
    assert client.post(reverse("matching:merge_undo", args=[merged.pk])).status_code == 404
    assert client.post(reverse("matching:merge_undo", args=[merged.pk + 100])).status_code == 404
    assert Merge.objects.get().undone_at is None


def test_a_child_never_merged_has_no_merge_panel(client, officer, child) -> None:  # noqa: ANN001
    login(client, officer)
    text = client.get(reverse("registry:child_detail", args=[child.pk])).text
    assert 'data-testid="merges"' not in text


def test_the_merge_panel_costs_the_same_queries_however_many_merges(
    rf, officer, household, merged, child, django_assert_max_num_queries
) -> None:  # noqa: ANN001
    from treem.matching.panels import child_merges_panel

    request = rf.get("/")
    request.user = officer
    with CaptureQueriesContext(connection) as one:
        assert len(child_merges_panel(request, Child.objects.get(pk=child.pk)).context["rows"]) == 1
    for name in ("Sùng Thị Sua Một", "Sùng Thị Sua Hai"):
        again = registry.child_register(
            actor=officer, household=household,
            data=registry.ChildInput(full_name=name, sex="F", date_of_birth=dt.date(2013, 5, 2)),
        )  # fmt: skip
        services.merge_children(actor=officer, survivor=Child.objects.get(pk=child.pk), other=again)
    with django_assert_max_num_queries(len(one) + 2):  # the cases' merge guard asks once for each merge
        panel = child_merges_panel(request, Child.objects.get(pk=child.pk))
        assert all(row["can_undo"] for row in panel.context["rows"])
    assert len(panel.context["rows"]) == 3
