"""Who may decide on a pair and merge two records (capability registry.merge), and the audit of every merge."""

from __future__ import annotations

import pytest
from django.urls import reverse

from treem.accounts import roles
from treem.audit.models import AuditEvent
from treem.matching import services
from treem.matching.models import CandidateStatus, MatchCandidate, Merge
from treem.registry.models import Child

pytestmark = pytest.mark.django_db


def login(client, user) -> None:  # noqa: ANN001
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")


@pytest.fixture
def collaborator(tree, make_user):  # noqa: ANN001, ANN201
    """Keeps the household book of the village both records are in (registry.edit there), never merges."""
    return make_user(roles.VILLAGE_COLLABORATOR, tree.village)


def merge_audits() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(target_type="child").order_by("pk"))


def test_a_village_collaborator_cannot_merge(client, collaborator, candidate, child, twice) -> None:  # noqa: ANN001
    login(client, collaborator)
    url = reverse("matching:pair", args=[candidate.pk])
    assert client.get(url).status_code == 403  # the duplicates pages are the commune officer's (one rule)
    response = client.post(url, {"decision": "merged", "keep": "a", "confirmed": "1"})
    assert response.status_code in (403, 404)
    assert MatchCandidate.objects.get().status == CandidateStatus.PENDING
    assert not Merge.objects.exists() and not merge_audits()
    assert Child.objects.filter(merged_into__isnull=False).count() == 0


def test_a_village_collaborator_cannot_undo(client, officer, collaborator, candidate) -> None:  # noqa: ANN001
    services.decide(actor=officer, candidate=candidate, decision=CandidateStatus.MERGED)
    login(client, collaborator)
    response = client.post(reverse("matching:undo", args=[candidate.pk]))
    assert response.status_code in (403, 404)
    merge = Merge.objects.get()
    assert merge.undone_at is None and Child.objects.get(pk=merge.other_id).merged_into_id == merge.survivor_id


def test_every_merge_and_undo_is_audited_with_both_children(client, officer, candidate, child, twice) -> None:  # noqa: ANN001
    login(client, officer)
    url = reverse("matching:pair", args=[candidate.pk])
    assert client.post(url, {"decision": "merged", "keep": "a", "confirmed": "1"}).status_code == 302
    merge = Merge.objects.get()
    [merged] = merge_audits()
    assert merged.actor == officer and merged.extra["survivor"] == child.pk and merged.extra["other"] == twice.pk
    assert str(child.pk) in merged.summary and str(twice.pk) in merged.summary
    assert client.post(reverse("matching:undo", args=[candidate.pk])).status_code == 302
    merge.refresh_from_db()
    assert merge.undone_at is not None
    undone = merge_audits()[-1]
    assert len(merge_audits()) == 2 and undone.actor == officer
    assert (undone.extra["survivor"], undone.extra["other"]) == (child.pk, twice.pk)
