"""The case process: every transition, its checks, its clocks, the registry flow, rapid alerts, overdue notices."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from treem.audit.models import AuditEvent
from treem.cases import services
from treem.cases.models import STATUS_FLOW, Case, Deadline, Notification, RapidAlert, Status
from treem.cases.notifications import notify_overdue
from treem.cases.selectors import abused_children_counts, plans_approved_on_time
from treem.core.dates import VN_TZ, date_vn, today_vn

pytestmark = pytest.mark.django_db

PLAN_ROW = {"service": "Tư vấn", "responsible": "Trạm y tế xã", "start": "2026-12-01", "end": "2026-12-31", "cost": 0}
PLAN = {"plan": [PLAN_ROW]}
REVIEW = {"review": {"harm": "low", "access": "low", "obstacles": "medium"}}
HAPPY_PATH = [
    (Status.VERIFICATION, {}),
    (Status.INITIAL_ASSESSMENT, {}),
    (Status.COMPREHENSIVE_ASSESSMENT, {}),
    (Status.CASE_CONFERENCE, {}),
    (Status.PLAN_DRAFTED, PLAN),
]


def walk(case, worker, chairman, until: str) -> Case:  # noqa: ANN001
    for to, data in [*HAPPY_PATH, (Status.PLAN_APPROVED, {}), (Status.IMPLEMENTATION, {}), (Status.REVIEW, {}),
                     (Status.CLOSURE_PROPOSED, REVIEW), (Status.CLOSED, {})]:  # fmt: skip
        actor = chairman if to in (Status.PLAN_APPROVED, Status.CLOSED) else worker
        case = services.case_transition(actor=actor, case=case, to=to, data=data)
        if to == until:
            break
    return case


def test_intake_assigns_the_worker_and_starts_no_plan_clock_yet(case, worker) -> None:  # noqa: ANN001
    assert case.status == Status.INTAKE
    assert list(case.workers.all()) == [worker]
    assert not case.deadlines.exists()  # the plan clock starts with the needs assessment (NĐ 56 Art. 28.1)
    assert case.code.startswith("03430-")


def test_the_whole_process(case, worker, chairman) -> None:  # noqa: ANN001
    case = walk(case, worker, chairman, Status.CLOSED)
    assert case.status == Status.CLOSED and case.closed_at is not None
    steps = list(case.events.filter(kind="transition").values_list("to_status", flat=True))
    assert steps == [Status.INTAKE, *[s for s, _ in HAPPY_PATH], Status.PLAN_APPROVED, Status.IMPLEMENTATION,
                     Status.REVIEW, Status.CLOSURE_PROPOSED, Status.CLOSED]  # fmt: skip
    assert not case.deadlines.filter(met_at__isnull=True).exists()
    assert AuditEvent.objects.filter(target_type="case", target_id=str(case.pk), action="transition").count() == 10


@pytest.mark.parametrize("status", Status.values)
def test_every_disallowed_transition_is_refused(case, worker, status: str) -> None:  # noqa: ANN001
    for to in Status.values:
        if to in STATUS_FLOW[status]:
            continue
        Case.objects.filter(pk=case.pk).update(status=status)
        case.refresh_from_db()
        with pytest.raises((ValidationError, PermissionDenied)):
            services.case_transition(actor=worker, case=case, to=to, data={**PLAN, **REVIEW})


def test_no_approval_without_a_plan_and_only_by_the_chairman(case, worker, chairman) -> None:  # noqa: ANN001
    case = walk(case, worker, chairman, Status.CASE_CONFERENCE)
    with pytest.raises(ValidationError):
        services.case_transition(actor=worker, case=case, to=Status.PLAN_DRAFTED, data={})
    case = services.case_transition(actor=worker, case=case, to=Status.PLAN_DRAFTED, data=PLAN)
    with pytest.raises(PermissionDenied):
        services.case_transition(actor=worker, case=case, to=Status.PLAN_APPROVED)
    services.case_transition(actor=chairman, case=case, to=Status.PLAN_APPROVED)


def test_no_closure_without_a_review(case, worker, chairman) -> None:  # noqa: ANN001
    case = walk(case, worker, chairman, Status.IMPLEMENTATION)
    with pytest.raises(ValidationError):
        services.case_transition(actor=worker, case=case, to=Status.CLOSURE_PROPOSED, data=REVIEW)
    case = services.case_transition(actor=worker, case=case, to=Status.REVIEW)
    with pytest.raises(ValidationError):
        services.case_transition(actor=worker, case=case, to=Status.CLOSURE_PROPOSED, data={})
    services.case_transition(actor=worker, case=case, to=Status.CLOSURE_PROPOSED, data=REVIEW)


def test_replanning_after_review(case, worker, chairman) -> None:  # noqa: ANN001
    case = walk(case, worker, chairman, Status.REVIEW)
    case = services.case_transition(actor=worker, case=case, to=Status.PLAN_DRAFTED, data=PLAN)
    assert case.deadlines.filter(rule__code="approval_2wd", met_at__isnull=True).count() == 1


def test_emergency_clock_when_the_abuser_is_a_parent(worker, tree, child, intake_time) -> None:  # noqa: ANN001
    case = services.case_open(
        actor=worker, commune=tree.commune, intake_at=intake_time, channel="police", category="abused",
        description="Bị cha đánh", child=child, abuse_forms=["violence"], abuser_relation="parent",
    )  # fmt: skip
    emergency = case.deadlines.get(rule__code="emergency_12h")
    assert emergency.due_at == intake_time + dt.timedelta(hours=12)
    services.case_transition(actor=worker, case=case, to=Status.EMERGENCY)
    emergency.refresh_from_db()
    assert emergency.met_at is not None


def test_plan_due_across_a_weekend(worker, tree, child) -> None:  # noqa: ANN001
    from treem.core.dates import VN_TZ

    thursday = dt.datetime(2024, 3, 7, 10, tzinfo=VN_TZ)
    case = services.case_open(
        actor=worker, commune=tree.commune, intake_at=thursday - dt.timedelta(hours=2), channel="commune",
        category="at_risk", description="x", child=child,
    )  # fmt: skip
    for to in (Status.VERIFICATION, Status.INITIAL_ASSESSMENT, Status.COMPREHENSIVE_ASSESSMENT):
        case = services.case_transition(actor=worker, case=case, to=to, at=thursday)
    assert case.deadlines.get(rule__code="plan_5wd").due_at.astimezone(VN_TZ).date() == dt.date(2024, 3, 14)


def test_separation_lasts_at_most_15_days_unless_extended(case, chairman, worker) -> None:  # noqa: ANN001
    services.case_add_event(actor=chairman, case=case, kind="separation")  # the chairman's decisions (Art. 32.2)
    deadline = case.deadlines.get(rule__code="separation_15d")
    assert (deadline.due_at - deadline.started_at) == dt.timedelta(days=15)
    services.separation_extend(
        actor=chairman, case=case, decision_no="01/QĐ-TA", decision_date=today_vn(), authority="Tòa án nhân dân",
        new_end=today_vn() + dt.timedelta(days=30), note="Tòa án gia hạn",
    )  # fmt: skip
    deadline.refresh_from_db()
    assert deadline.met_at is None  # an extension keeps the clock (NĐ 56 Art. 32.3)
    services.case_add_event(actor=worker, case=case, kind="separation_review", note="Gia đình đã an toàn")
    services.case_add_event(actor=chairman, case=case, kind="separation_end")
    deadline.refresh_from_db()
    assert deadline.met_at is not None


def test_alternative_care_follow_ups(case, worker) -> None:  # noqa: ANN001
    services.case_add_event(actor=worker, case=case, kind="placement")
    assert set(case.deadlines.filter(met_at__isnull=True).values_list("rule__code", flat=True)) >= {
        "placement_1m", "placement_3m"
    }  # fmt: skip
    services.case_add_event(actor=worker, case=case, kind="follow_up")
    assert case.deadlines.get(rule__code="placement_1m").met_at is not None
    assert case.deadlines.get(rule__code="placement_3m").met_at is None
    services.case_add_event(actor=worker, case=case, kind="follow_up")
    assert case.deadlines.filter(rule__code="placement_6m", met_at__isnull=True).count() == 1


def test_confirmed_sexual_abuse_proposes_group_l_from_intake(worker, tree, child, chairman) -> None:  # noqa: ANN001
    from treem.cases.proposals import proposal_confirm

    intake = timezone.now() - dt.timedelta(days=3)
    case = services.case_open(
        actor=worker, commune=tree.commune, intake_at=intake, channel="hotline_111", category="abused",
        description="x", child=child, abuse_forms=["sexual_abuse"], setting="community",
    )  # fmt: skip
    for to in (Status.VERIFICATION, Status.INITIAL_ASSESSMENT, Status.COMPREHENSIVE_ASSESSMENT):
        case = services.case_transition(actor=worker, case=case, to=to)
    assert not child.circumstances.filter(type__code="l").exists()  # a proposal, until the officer confirms
    proposal_confirm(actor=worker, proposal=case.group_proposals.get())
    membership = child.circumstances.get(type__code="l")
    assert membership.valid_from == date_vn(intake)  # the intake's day in Vietnam, 7 hours ahead of UTC
    assert case.code in membership.source


def test_serious_cases_alert_the_province_without_identity(worker, tree, child, intake_time) -> None:  # noqa: ANN001
    case = services.case_open(
        actor=worker, commune=tree.commune, intake_at=intake_time, channel="hotline_111", category="abused",
        description="x", child=child, abuse_forms=["trafficking"],
    )  # fmt: skip
    alert = RapidAlert.objects.get(case=case)
    assert alert.province == tree.province
    assert child.full_name not in alert.summary and "Sua" not in alert.summary
    assert "Xã Khun Há" in alert.summary and "nữ" in alert.summary


def test_informant_kept_only_with_consent(worker, tree, intake_time) -> None:  # noqa: ANN001
    case = services.case_open(
        actor=worker, commune=tree.commune, intake_at=intake_time, channel="community", category="at_risk",
        description="x", child_name="Không rõ", child_age_estimate=8, informant_name="Bà Lan", informant_consents=False,
    )  # fmt: skip
    assert case.informant_name == ""


def test_notify_overdue_once_each(case, worker, chairman) -> None:  # noqa: ANN001
    walk(case, worker, chairman, Status.COMPREHENSIVE_ASSESSMENT)  # the plan clock runs
    later = timezone.now() + dt.timedelta(days=30)
    first = notify_overdue(later)
    assert first.overdue_cases == 1
    assert first.notices_sent == 2  # the chairman and the assigned worker
    assert set(Notification.objects.values_list("recipient", flat=True)) == {worker.pk, chairman.pk}
    again = notify_overdue(later)
    assert (again.overdue_cases, again.notices_sent) == (1, 0)


def test_notify_overdue_command(case, worker, chairman, capsys) -> None:  # noqa: ANN001
    from django.core.management import call_command

    walk(case, worker, chairman, Status.COMPREHENSIVE_ASSESSMENT)
    Deadline.objects.update(due_at=timezone.now() - dt.timedelta(hours=1))
    call_command("cases", "notify-overdue")
    assert capsys.readouterr().out.strip() == "1 overdue cases; 2 notices sent"


def test_counts_for_the_indicators(worker, chairman, tree, child) -> None:  # noqa: ANN001
    intake = timezone.now() - dt.timedelta(days=10)
    case = services.case_open(
        actor=worker, commune=tree.commune, intake_at=intake, channel="police", category="abused",
        description="x", child=child, abuse_forms=["violence", "sexual_abuse"], setting="home",
    )  # fmt: skip
    today = today_vn()
    counts = abused_children_counts(tree.province.path, today - dt.timedelta(days=30), today)
    assert {(c.form, c.sex, c.age_group, c.setting, c.children) for c in counts} == {
        ("sexual_abuse", "F", "11-15", "home", 1), ("violence", "F", "11-15", "home", 1)
    }  # fmt: skip
    walk(case, worker, chairman, Status.PLAN_APPROVED)
    assert plans_approved_on_time(tree.province.path, today - dt.timedelta(days=30), today) == (1, 1)


def test_the_group_starts_on_the_intake_date_in_vietnam_not_in_utc(worker, tree, child, chairman) -> None:  # noqa: ANN001
    """An intake at 03:41 Vietnam time is 20:41 the day before in UTC: the group starts on the Vietnamese day."""
    day = today_vn() - dt.timedelta(days=3)
    intake = dt.datetime.combine(day, dt.time(3, 41), tzinfo=VN_TZ)
    case = services.case_open(
        actor=worker, commune=tree.commune, intake_at=intake, channel="hotline_111", category="abused",
        description="x", child=child, abuse_forms=["sexual_abuse"], setting="community",
    )  # fmt: skip
    for to in (Status.VERIFICATION, Status.INITIAL_ASSESSMENT, Status.COMPREHENSIVE_ASSESSMENT):
        case = services.case_transition(actor=worker, case=Case.objects.get(pk=case.pk), to=to)  # as a view reads it
    from treem.cases.proposals import proposal_confirm

    proposal_confirm(actor=worker, proposal=case.group_proposals.get())
    assert child.circumstances.get(type__code="l").valid_from == day
