"""The demo's cases: every case page has something to show, written through the cases services, added once."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from treem.accounts import roles
from treem.accounts.tests.helpers import login
from treem.cases.models import (
    Case,
    CaseEvent,
    CaseTransfer,
    Deadline,
    Disclosure,
    EventKind,
    GroupProposal,
    Notification,
    ProposalStatus,
    Status,
)
from treem.core.dates import today_vn
from treem.demo import cases as demo_cases
from treem.demo import registry
from treem.demo.services import _seed_delegation
from treem.demo.units import DemoArea
from treem.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(tree, make_user, monkeypatch) -> SimpleNamespace:  # noqa: ANN001
    """Khun Há's demo users (and Long Khánh's officer), the vice-chairman's delegation, a small registry."""
    demo = [DemoArea(tree.province, [tree.commune, tree.sibling]), DemoArea(tree.other_province, [tree.far_commune])]
    monkeypatch.setattr(registry, "demo_areas", lambda: demo)
    users = SimpleNamespace(
        worker=make_user(roles.CASE_WORKER, tree.commune, username=demo_cases.WORKER),
        officer=make_user(roles.COMMUNE_OFFICER, tree.commune, username=demo_cases.OFFICER),
        chairman=make_user(roles.COMMUNE_CHAIRMAN, tree.commune, username=demo_cases.CHAIRMAN),
        vice=make_user(roles.COMMUNE_VICE_CHAIRMAN, tree.commune, username=demo_cases.VICE),
        receiver=make_user(roles.COMMUNE_OFFICER, tree.far_commune, username="canbo.longkhanh"),
        tree=tree,
    )
    _seed_delegation(tree.commune)
    registry.seed_registry(children=300, actor=users.officer)
    return users


def _seed(people: SimpleNamespace) -> demo_cases.CaseStats:
    return demo_cases.seed_cases(commune=people.tree.commune, transfer_to=people.tree.far_commune)


def _case(description_start: str) -> Case:
    return Case.objects.get(description__startswith=description_start)


def test_the_seed_creates_each_state_the_case_pages_show(people) -> None:  # noqa: ANN001
    stats = _seed(people)
    assert (stats.created, stats.existing, stats.skipped) == (7, 0, 0)
    assert Case.objects.count() == 7
    assert len({c.child.household_id for c in Case.objects.select_related("child")}) == 7
    now = timezone.now()

    due_soon = _case("Tổng đài 111 nhận tin")
    clock = due_soon.deadlines.get(met_at=None)
    assert due_soon.status == Status.INTAKE and clock.rule.code == "emergency_12h"
    assert clock.warn_at <= now < clock.due_at

    overdue = _case("Trưởng bản báo")
    assert overdue.status == Status.VERIFICATION
    assert overdue.deadlines.get(met_at=None).due_at < now

    approved = Case.objects.get(status=Status.PLAN_APPROVED)
    signature = approved.events.get(to_status=Status.PLAN_APPROVED).data["signature"]
    assert signature["on_behalf"] is True and signature["delegation"]
    assert signature["name"] == people.vice.get_full_name()
    assert approved.events.get(to_status=Status.PLAN_APPROVED).by == people.vice

    abuse = Case.objects.get(status=Status.COMPREHENSIVE_ASSESSMENT)
    proposal = GroupProposal.objects.get(case=abuse)
    assert proposal.status == ProposalStatus.PROPOSED and proposal.circumstance_type.code == "k"

    disclosure = Disclosure.objects.get()
    assert disclosure.case.status == Status.IMPLEMENTATION
    assert disclosure.parent_consent_name and disclosure.parent_consent_on and disclosure.child_consent_on
    assert disclosure.child_age >= 7
    assert disclosure.case.events.filter(kind=EventKind.SERVICE).exists()

    closing = Case.objects.get(status=Status.CLOSURE_PROPOSED)
    proposal_event = closing.events.get(to_status=Status.CLOSURE_PROPOSED)
    assert proposal_event.data["ground"] == "safe_stable" and proposal_event.data["review_event"]

    transfer = CaseTransfer.objects.get()
    assert transfer.from_commune == people.tree.commune and transfer.to_commune == people.tree.far_commune
    assert list(transfer.case.workers.all()) == [people.receiver]
    assert {people.worker.pk, people.officer.pk} <= set(transfer.workers)

    # the clocks' notices reach the chairman and the workers at once (the dashboard's notifications)
    kinds = set(Notification.objects.filter(recipient=people.officer).values_list("kind", flat=True))
    assert kinds == {Notification.Kind.DUE_SOON, Notification.Kind.OVERDUE}
    assert Notification.objects.filter(recipient=people.chairman, deadline__isnull=False).count() == 2
    # no other clock is late: the other stories kept their legal time limits
    late = Deadline.objects.filter(met_at=None, due_at__lt=now).values_list("case_id", flat=True)
    assert list(late) == [overdue.pk]


def test_running_the_seed_again_adds_nothing(people) -> None:  # noqa: ANN001
    _seed(people)
    counts = [m.objects.count() for m in (Case, CaseEvent, Disclosure, GroupProposal, CaseTransfer, Notification)]
    again = _seed(people)
    assert (again.created, again.existing, again.notices) == (0, 7, 0)
    assert [m.objects.count() for m in (Case, CaseEvent, Disclosure, GroupProposal, CaseTransfer, Notification)] == (
        counts
    )


def test_without_fitting_children_the_stories_are_skipped(tree, make_user) -> None:  # noqa: ANN001
    for role, name in (
        (roles.CASE_WORKER, demo_cases.WORKER),
        (roles.COMMUNE_OFFICER, demo_cases.OFFICER),
        (roles.COMMUNE_CHAIRMAN, demo_cases.CHAIRMAN),
        (roles.COMMUNE_VICE_CHAIRMAN, demo_cases.VICE),
    ):
        make_user(role, tree.commune, username=name)
    stats = demo_cases.seed_cases(commune=tree.commune, transfer_to=tree.far_commune)
    assert (stats.created, stats.skipped) == (0, 7)
    assert not Case.objects.exists()


def _get(user, url: str) -> str:  # noqa: ANN001
    client = Client()
    login(client, user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_case_pages_render_for_the_demo_users(people) -> None:  # noqa: ANN001
    _seed(people)
    due_soon, overdue = _case("Tổng đài 111 nhận tin"), _case("Trưởng bản báo")
    dashboard = _get(people.officer, "/cases/")
    assert due_soon.code in dashboard and overdue.code in dashboard
    assert "Sắp đến hạn" in dashboard and "Quá hạn" in dashboard

    approved = Case.objects.get(status=Status.PLAN_APPROVED)
    assert "ký thay Chủ tịch" in _get(people.vice, f"/cases/{approved.pk}/")
    abuse = Case.objects.get(status=Status.COMPREHENSIVE_ASSESSMENT)
    assert f"/cases/{abuse.pk}/groups/" in _get(people.officer, f"/cases/{abuse.pk}/")
    disclosed = Disclosure.objects.get().case
    assert "Trường PTDTBT THCS xã Khun Há" in _get(people.worker, f"/cases/{disclosed.pk}/")
    closing = Case.objects.get(status=Status.CLOSURE_PROPOSED)
    assert f"/cases/{closing.pk}/closure/refuse/" in _get(people.chairman, f"/cases/{closing.pk}/")

    moved = CaseTransfer.objects.get().case
    for user in (people.worker, people.officer, people.chairman):
        assert moved.code in _get(user, "/cases/sent/")
        _get(user, f"/cases/{moved.pk}/sent/")
    assert moved.code in _get(people.receiver, f"/cases/{moved.pk}/")
    for case in Case.objects.exclude(pk=moved.pk):
        _get(people.chairman, f"/cases/{case.pk}/")
        _get(people.worker, f"/cases/{case.pk}/")


def test_make_demo_data_seeds_the_cases_once() -> None:
    """The real chain (`treem units load`, `treem demo seed`): the summary line, then nothing added the second time."""
    call_command("units", "load", stdout=io.StringIO())
    out = io.StringIO()
    call_command("demo", "seed", "--children", "300", stdout=out)
    assert "Demo cases: 7 new cases in Khun Há" in out.getvalue()
    assert Case.objects.filter(commune__short_name="Khun Há").count() == 6 + 4  # and the legal outcomes' four
    assert CaseTransfer.objects.get().to_commune.short_name == "Long Khánh"
    # the rest of the work a new user finds: duplicate pairs to review, a checked import to commit, a user admin
    assert "Demo duplicates: 3 children entered twice in Khun Há" in out.getvalue()
    assert "Demo import: a checked workbook waits for its commit in Khun Há (" in out.getvalue()
    assert "quantri.laichau" in out.getvalue()
    # the indicator pages open with figures: computed for the last periods, entered ones for Khun Há, local targets
    from treem.indicators.models import DataValue, Origin, Target

    assert "Demo indicators:" in out.getvalue()
    khun_ha = Unit.objects.get(structure="current", level="commune", short_name="Khun Há")
    year = str(today_vn().year - 1)
    assert DataValue.objects.get(indicator__code="children", unit=khun_ha, period=year, disagg="").value > 0
    assert DataValue.objects.filter(unit=khun_ha, period=year, origin=Origin.ENTERED).exists()
    assert Target.objects.filter(unit__isnull=False).exists()
    # the directory: a case referral acknowledged by the province's social work centre, one waiting
    from treem.cases.models import Referral

    assert sorted(r.is_acknowledged for r in Referral.objects.all()) == [False, True]
    centre = Referral.objects.filter(acknowledged_by__isnull=False).get().provider
    assert list(centre.users.values_list("username", flat=True)) == ["ttctxh.laichau"]
    assert "ttctxh.laichau" in out.getvalue()  # the centre's account is one of the demo logins printed
    again = io.StringIO()
    call_command("demo", "seed", "--children", "300", stdout=again)
    assert "Demo cases: 7 cases already, nothing added." in again.getvalue()
    assert "Demo duplicates" not in again.getvalue() and "Demo import" not in again.getvalue()
    assert Case.objects.count() == 7 + 4
    assert Referral.objects.count() == 2
