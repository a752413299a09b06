"""A merge moves the other record's cases: only a person who may see them merges (the cases' merge guard)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from treem.audit.models import AuditEvent
from treem.cases import services
from treem.cases.models import Case
from treem.matching import runs
from treem.matching import services as matching
from treem.matching.models import CandidateStatus, MatchCandidate, MatchRun, Merge
from treem.registry import services as registry
from treem.registry.models import Child

pytestmark = pytest.mark.django_db


@pytest.fixture
def twice(household, officer, child):  # noqa: ANN001, ANN201
    return registry.child_register(
        actor=officer, household=household,
        data=registry.ChildInput(full_name="Sung Thi Sua", sex="F", date_of_birth=dt.date(2013, 5, 2)),
        guardians=[registry.GuardianInput("Sung A Pao", "father")],
    )  # fmt: skip


@pytest.fixture
def secret(worker, tree, twice, intake_time):  # noqa: ANN001, ANN201
    """A confidential case on the second record, worked on by `worker` only."""
    return services.case_open(
        actor=worker, commune=tree.commune, intake_at=intake_time, channel="hotline_111", category="at_risk",
        description="Em bị bạo lực trong gia đình", child=twice, abuse_forms=["violence"], setting="home",
    )  # fmt: skip


@pytest.fixture
def officer(tree, make_user):  # noqa: ANN001, ANN201
    """Another commune officer of the same commune: merges registry records, is not on the case."""
    from treem.accounts import roles

    return make_user(roles.COMMUNE_OFFICER, tree.commune)


@pytest.fixture
def candidate(tree, child, twice) -> MatchCandidate:  # noqa: ANN001
    runs.execute_run(MatchRun.objects.create(unit=tree.commune, unit_path=tree.commune.path))
    return MatchCandidate.objects.get()


def test_an_officer_who_may_not_see_the_case_cannot_merge(client, officer, secret, candidate, twice) -> None:  # noqa: ANN001
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("matching:pair", args=[candidate.pk])
    assert client.get(url).context["can_decide"] is False
    assert client.post(url, {"decision": "merged", "keep": "a", "confirmed": "1"}).status_code in (403, 404)
    assert Case.objects.get(pk=secret.pk).child_id == twice.pk
    assert MatchCandidate.objects.get().status == CandidateStatus.PENDING and not Merge.objects.exists()
    assert not AuditEvent.objects.filter(target_type="child").exists()


def test_the_caseworker_may_merge_and_the_case_follows(worker, secret, candidate, child, twice) -> None:  # noqa: ANN001
    matching.decide(actor=worker, candidate=candidate, decision=CandidateStatus.MERGED, keep=child)
    assert Case.objects.get(pk=secret.pk).child_id == child.pk
    assert Child.objects.get(pk=twice.pk).merged_into_id == child.pk
    assert AuditEvent.objects.filter(target_type="child", target_id=str(child.pk)).count() == 1


def test_the_matcher_never_moves_a_case_on_its_own(secret, child, twice) -> None:  # noqa: ANN001
    with pytest.raises(PermissionDenied):
        matching.merge_children(actor=None, survivor=child, other=twice, automatic=True)
    assert Case.objects.get(pk=secret.pk).child_id == twice.pk
    assert Child.objects.get(pk=twice.pk).merged_into_id is None
