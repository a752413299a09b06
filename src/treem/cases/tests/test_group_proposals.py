"""A case outcome proposes a group of Luật Trẻ em Art. 10; the officer confirms or rejects (NĐ 56/2017 Arts. 3–16).

"Bỏ rơi, bỏ mặc" as a form of abuse (Luật Trẻ em Art. 4.9: a carer's failure to care) is not group b "trẻ em bị bỏ
rơi" (NĐ 56 Art. 4): a confirmed neglect or abandonment case never files the child into group b by itself."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from treem.accounts import roles
from treem.cases import proposals, services
from treem.cases.models import GroupProposal, GroupRule, ProposalStatus, Status
from treem.registry.models import CircumstanceType

pytestmark = pytest.mark.django_db


def confirmed_case(worker, tree, child, forms: list[str]):  # noqa: ANN001, ANN201
    case = services.case_open(
        actor=worker, commune=tree.commune, intake_at=timezone.now() - dt.timedelta(days=3), channel="police",
        category="abused", description="x", child=child, abuse_forms=forms, setting="home",
    )  # fmt: skip
    for to in (Status.VERIFICATION, Status.INITIAL_ASSESSMENT, Status.COMPREHENSIVE_ASSESSMENT):
        case = services.case_transition(actor=worker, case=case, to=to)
    return case


def test_confirmed_neglect_or_abandonment_does_not_file_the_child_into_group_b(worker, tree, child) -> None:  # noqa: ANN001
    """NĐ 56 Art. 4 (abandoned child) is not Luật Trẻ em Art. 4.9 neglect: no group b row, only a proposal."""
    case = confirmed_case(worker, tree, child, ["neglect", "abandonment"])
    assert not child.circumstances.filter(type__code="b").exists()
    assert [(p.abuse_form, p.circumstance_type.code, p.status) for p in case.group_proposals.all()] == [
        ("abandonment", "b", ProposalStatus.PROPOSED)
    ]


def test_which_form_proposes_which_group_is_data(worker, tree, child) -> None:  # noqa: ANN001
    """Rules are rows: switched off, sexual abuse proposes nothing; a new rule makes violence propose group i."""
    GroupRule.objects.filter(abuse_form="sexual_abuse").update(is_active=False)
    GroupRule.objects.create(
        abuse_form="violence", circumstance_type=CircumstanceType.objects.get(kind="special", code="i")
    )
    case = confirmed_case(worker, tree, child, ["sexual_abuse", "violence"])
    assert [p.circumstance_type.code for p in case.group_proposals.all()] == ["i"]


def test_confirming_files_the_child_from_the_intake_date_as_case_data(worker, tree, child) -> None:  # noqa: ANN001
    case = confirmed_case(worker, tree, child, ["sexual_abuse"])
    proposal = proposals.proposal_confirm(actor=worker, proposal=case.group_proposals.get())
    row = child.circumstances.get(type__code="l")
    assert (proposal.status, proposal.circumstance_id, proposal.decided_by) == (
        ProposalStatus.CONFIRMED,
        row.pk,
        worker,
    )
    assert row.valid_from == proposal.valid_from and row.source_case_id == case.pk and row.confidential
    with pytest.raises(ValidationError):
        proposals.proposal_confirm(actor=worker, proposal=proposal)  # decided once


def test_rejecting_needs_a_reason_and_files_nothing(worker, tree, child) -> None:  # noqa: ANN001
    case = confirmed_case(worker, tree, child, ["trafficking"])
    proposal = case.group_proposals.get()
    with pytest.raises(ValidationError):
        proposals.proposal_reject(actor=worker, proposal=proposal, reason="  ")
    proposal = proposals.proposal_reject(actor=worker, proposal=proposal, reason="Trẻ đã về với gia đình trước đó")
    assert proposal.status == ProposalStatus.REJECTED
    assert not child.circumstances.filter(type__code="m").exists()


def test_only_the_case_worker_or_commune_officer_decides(worker, tree, child, make_user) -> None:  # noqa: ANN001
    case = confirmed_case(worker, tree, child, ["sexual_abuse"])
    proposal = case.group_proposals.get()
    for outsider in (
        make_user(roles.COMMUNE_OFFICER, tree.sibling),
        make_user(roles.PROVINCE_SPECIALIST, tree.province),
    ):
        with pytest.raises(PermissionDenied):
            proposals.proposal_confirm(actor=outsider, proposal=proposal)
    assert GroupProposal.objects.get(pk=proposal.pk).status == ProposalStatus.PROPOSED


def test_case_page_confirms_and_answers_404_outside_scope(client, worker, tree, child, make_user) -> None:  # noqa: ANN001
    case = confirmed_case(worker, tree, child, ["sexual_abuse"])
    proposal = case.group_proposals.get()
    url = reverse("cases:proposal_decide", args=[case.pk, proposal.pk, "confirm"])
    client.force_login(
        make_user(roles.COMMUNE_OFFICER, tree.sibling), backend="django.contrib.auth.backends.ModelBackend"
    )
    assert client.post(url).status_code == 404
    client.force_login(worker, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("cases:detail", args=[case.pk])).text
    assert 'data-testid="confirm-l"' in page
    assert client.post(url).status_code == 302
    assert child.circumstances.filter(type__code="l", source_case_id=case.pk).exists()
    reject = reverse("cases:proposal_decide", args=[case.pk, proposal.pk, "reject"])
    client.post(reject, {"reason": "x"})  # already decided: an error message, nothing changes
    assert GroupProposal.objects.get(pk=proposal.pk).status == ProposalStatus.CONFIRMED
