"""The security suite's world: the demo seeded onto the small test tree (every kind of record in Khun Há, some in
its sibling commune and the other province), and a user of every standard role at home (the main branch: the
nation, Lai Châu, Khun Há, Bản Hon) and away (the sibling branch: the other province, the sibling commune, the
sibling village). Built once per module inside a transaction that is rolled back at the module's end; each test
runs in a savepoint inside it (pytest-django's `db`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import transaction

HOME_AND_AWAY = {  # the role's unit level -> (home unit, away unit) as attribute names of the tree
    "nation": ("nation", None),
    "province": ("province", "other_province"),
    "commune": ("commune", "sibling"),
    "village": ("village", "sibling_village"),
}


@dataclass
class World:
    tree: SimpleNamespace
    users: dict[str, Any] = field(default_factory=dict)  # "<role>@home" / "<role>@away" -> user
    objects: dict[str, Any] = field(default_factory=dict)  # kind -> one record (None when the seed has none)


def sign_in(client: Any, user: Any) -> Any:
    """The one way the suite signs a user in (a session as after a full login): where the login asks for more (a
    second factor), this is the one place to complete it."""
    from treem.accounts.tests.helpers import login

    login(client, user)  # force_login, and the second factor passed for those whose role needs it
    return client


def _first(qs: Any) -> Any:
    return qs.order_by("pk").first()


def build_world() -> World:
    from treem.accounts.models import Role
    from treem.accounts.roles import standard_roles
    from treem.accounts.tests.factories import UserFactory
    from treem.demo import registry as demo_registry
    from treem.demo import services as demo_services
    from treem.demo.units import DemoArea
    from treem.units.tests.factories import build_tree

    tree = build_tree()
    areas = [DemoArea(tree.province, [tree.commune, tree.sibling]), DemoArea(tree.other_province, [tree.far_commune])]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(demo_registry, "demo_areas", lambda: areas)
        mp.setattr(demo_services, "demo_areas", lambda: areas)
        demo_services.demo_seed(children=60)
    world = World(tree=tree)
    for spec in standard_roles():
        role = Role.objects.get(code=spec.code)
        home, away = HOME_AND_AWAY[spec.unit_level]
        for where, attr in (("home", home), ("away", away)):
            if attr is not None:
                world.users[f"{spec.code}@{where}"] = UserFactory(
                    username=f"sec.{spec.code}.{where}", role=role, unit=getattr(tree, attr)
                )
    world.users["superuser"] = UserFactory(username="sec.superuser", is_superuser=True, is_staff=True)  # no unit
    add_files_and_the_rest(tree)
    world.objects = collect_objects(tree)
    return world


def add_files_and_the_rest(tree: SimpleNamespace) -> None:
    """What the demo seed leaves out: uploaded files (a task's, an activity's, a report's), a merge, an API token."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from treem.accounts.models import User
    from treem.activities import services as activities
    from treem.activities.models import Activity
    from treem.api.tokens import token_create
    from treem.core.dates import today_vn
    from treem.matching.models import CandidateStatus, MatchCandidate
    from treem.matching.services import decide
    from treem.plans import services as plans
    from treem.plans.models import Task
    from treem.reporting.models import Report
    from treem.reporting.services import add_attachment

    officer = User.objects.get(username="canbo.khunha")
    specialist = User.objects.get(username="tinh.laichau")

    def pdf(name: str) -> SimpleUploadedFile:
        return SimpleUploadedFile(name, b"%PDF-1.4 synthetic", content_type="application/pdf")

    task = Task.objects.filter(plan__unit=tree.province, assignee_unit__isnull=True).order_by("pk").first()
    plans.progress_record(
        actor=specialist, task=task, on=today_vn(), status="in_progress", percent=10, note="ok", evidence=[pdf("t.pdf")]
    )
    activity = Activity.objects.filter(unit=tree.commune).order_by("pk").first()
    activities.evidence_add(actor=officer, activity=activity, upload=pdf("a.pdf"))
    report = Report.objects.filter(unit=tree.commune).order_by("pk").first()
    add_attachment(report=report, actor=officer, upload=pdf("r.pdf"))
    pair = MatchCandidate.objects.filter(status=CandidateStatus.PENDING).order_by("pk").first()
    decide(actor=officer, candidate=pair, decision=CandidateStatus.MERGED, keep=pair.child_a)
    token_create(user=officer, days=30)


def collect_objects(tree: SimpleNamespace) -> dict[str, Any]:  # noqa: PLR0915 - one line a kind
    """One record of every kind the URLs name, in Khun Há (or its province for the province's records)."""
    from treem.accounts.models import User
    from treem.activities import models as act
    from treem.api.models import ApiToken
    from treem.assessments import models as ass
    from treem.cases import models as cases
    from treem.core.dates import today_vn
    from treem.directory.models import Provider
    from treem.finance.models import Allocation
    from treem.imports.models import ImportJob
    from treem.indicators.models import Indicator
    from treem.matching.models import MatchCandidate, MatchRun, Merge
    from treem.plans import models as plans
    from treem.registry import models as reg
    from treem.reporting import models as rep
    from treem.staff.models import Worker
    from treem.support import models as sup

    c = tree.commune.path
    o: dict[str, Any] = {"commune": tree.commune, "village": tree.village, "province": tree.province}
    o["household"] = _first(reg.Household.objects.filter(village=tree.village))
    o["child"] = _first(reg.Child.objects.filter(household=o["household"]))
    o["incident"] = _first(reg.Incident.objects.filter(child__unit_path__startswith=c))
    o["circumstance"] = _first(reg.Circumstance.objects.filter(child__unit_path__startswith=c, valid_to__isnull=True))
    o["case"] = _first(cases.Case.objects.filter(unit_path__startswith=c, group_proposals__isnull=False).distinct())
    o["proposal"] = _first(cases.GroupProposal.objects.filter(case=o["case"]))
    o["referral"] = _first(cases.Referral.objects.all())
    o["referral_case"] = o["referral"].case if o["referral"] else None
    o["sent"] = _first(cases.CaseTransfer.objects.all())
    o["notice"] = _first(cases.Notification.objects.all())
    o["alert"] = _first(cases.RapidAlert.objects.all())
    o["account"] = _first(User.objects.filter(unit=tree.commune, username__startswith="canbo"))
    o["round"] = _first(sup.Round.objects.filter(unit_path__startswith=c, beneficiaries__isnull=False).distinct())
    o["beneficiary"] = _first(sup.Beneficiary.objects.filter(round=o["round"]))
    o["programme"] = _first(sup.Programme.objects.filter(is_active=True))
    o["disaster"] = _first(sup.Disaster.objects.filter(unit_path__startswith=c))
    o["affected"] = _first(sup.AffectedChild.objects.filter(disaster=o["disaster"]))
    o["worker"] = _first(Worker.objects.filter(unit_path__startswith=c))
    o["allocation"] = _first(Allocation.objects.filter(unit_path__startswith=c))
    o["job"] = _first(ImportJob.objects.filter(unit_path__startswith=c))
    o["pair"] = _first(MatchCandidate.objects.all())
    o["merge"] = _first(Merge.objects.all())
    o["run"] = _first(MatchRun.objects.filter(unit_path__startswith=c))
    o["plan"] = _first(plans.Plan.objects.filter(unit=tree.province))
    o["task"] = _first(plans.Task.objects.filter(plan=o["plan"], assignee_unit__isnull=True))
    o["event_task"] = _first(plans.Task.objects.filter(plan=o["plan"], event_kind__isnull=False))
    o["plan_evidence"] = _first(plans.Evidence.objects.all())
    o["recommendation"] = _first(plans.Recommendation.objects.all())
    o["participant"] = _first(plans.Participant.objects.all())
    o["activity"] = _first(act.Activity.objects.filter(unit=tree.commune).exclude(type__people_list=""))
    o["finding"] = _first(act.Finding.objects.filter(activity=o["activity"]))
    o["cost_line"] = _first(act.CostLine.objects.filter(activity=o["activity"]))
    o["listed_person"] = _first(act.ListedPerson.objects.filter(activity=o["activity"]))
    o["activity_evidence"] = _first(act.Evidence.objects.all())
    o["assessment"] = _first(ass.Assessment.objects.filter(unit=tree.commune))
    o["item"] = _first(ass.Item.objects.all())
    o["assessment_evidence"] = _first(ass.Evidence.objects.filter(assessment__unit=tree.commune))
    o["provider"] = _first(Provider.objects.filter(unit=tree.commune)) or _first(
        Provider.objects.filter(unit_path__startswith=c)
    )
    o["cycle"] = _first(rep.Cycle.objects.all())
    o["report"] = _first(rep.Report.objects.filter(unit=tree.commune))
    o["attachment"] = _first(rep.Attachment.objects.all())
    o["token"] = _first(ApiToken.objects.all())
    o["indicator"] = _first(Indicator.objects.all())
    o["period"] = str(today_vn().year)
    return o


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:  # noqa: ANN001
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_world()
        yield built
        transaction.set_rollback(True)
