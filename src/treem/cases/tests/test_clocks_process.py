"""The legal clocks of the case process, run over 24–28/04/2025, 20–24/08/2026 and Tết, each against its article.

NĐ 56/2017/NĐ-CP Arts. 26.3, 28.1, 28.4, 31, 32, 43.2; TT 14/2020/TT-BLĐTBXH Art. 14.3.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from treem.accounts.tests.helpers import login
from treem.cases import services
from treem.cases.calendar import WorkCalendar
from treem.cases.models import Deadline, Notification, Status, WorkdayAdjustment
from treem.cases.notifications import notify_overdue
from treem.cases.selectors import overdue_deadlines, plans_approved_on_time
from treem.core.dates import VN_TZ

pytestmark = pytest.mark.django_db

PLAN = {
    "plan": [
        {"service": "Tư vấn tâm lý", "responsible": "Trạm y tế", "start": "2025-05-01", "end": "2025-06-30", "cost": 0}
    ]
}


def at(y: int, m: int, d: int, h: int = 9, mi: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, h, mi, tzinfo=VN_TZ)


def end_of(y: int, m: int, d: int) -> dt.datetime:
    return dt.datetime(y, m, d, 23, 59, 59, tzinfo=VN_TZ)


def open_case(worker, tree, child, when: dt.datetime, **extra):  # noqa: ANN001, ANN003, ANN201
    fields = {"channel": "hotline_111", "category": "at_risk", "description": "Em thường bị bỏ đói", **extra}
    return services.case_open(actor=worker, commune=tree.commune, intake_at=when, child=child, **fields)


def step(case, actor, to: str, when: dt.datetime, data=None):  # noqa: ANN001, ANN201
    return services.case_transition(actor=actor, case=case, to=to, at=when, data=data or {})


def clock(case, code: str) -> Deadline:  # noqa: ANN001
    return case.deadlines.get(rule__code=code)


def close_early(case, worker, chairman, when: dt.datetime):  # noqa: ANN001, ANN201
    """Not a protection case: verified, proposed by the worker, closed by the chairman (NĐ 56 Art. 30.1b–c)."""
    if case.status != Status.VERIFICATION:
        case = step(case, worker, Status.VERIFICATION, when - dt.timedelta(minutes=20))
    case = step(
        case, worker, Status.CLOSURE_PROPOSED, when - dt.timedelta(minutes=10), {"reason": "Không phải vụ việc"}
    )
    return step(case, chairman, Status.CLOSED, when)


# --- 1. the 12-hour emergency clock ---------------------------------------------------------------------------


def test_emergency_found_at_initial_assessment_counts_12h_from_intake_art_26_3(worker, tree, child) -> None:  # noqa: ANN001
    """NĐ 56 Art. 26.3, 31.2: Mẫu 02 rates the present danger "high": 12 hours from receiving the information."""
    case = open_case(worker, tree, child, at(2025, 4, 24, 20))
    assert not case.deadlines.filter(rule__code="emergency_12h").exists()
    case = step(case, worker, Status.VERIFICATION, at(2025, 4, 25, 7))
    case = step(case, worker, Status.INITIAL_ASSESSMENT, at(2025, 4, 25, 9), {"risk": {"danger": "high"}})
    emergency = clock(case, "emergency_12h")
    assert emergency.started_at == at(2025, 4, 24, 20)
    assert emergency.due_at == at(2025, 4, 25, 8)


def test_emergency_found_at_verification_art_31_1(worker, tree, child) -> None:  # noqa: ANN001
    """NĐ 56 Art. 31.1: verification finds the child in danger (or a parent abuser): the clock starts, from intake."""
    case = open_case(worker, tree, child, at(2026, 8, 20, 22))
    case = step(case, worker, Status.VERIFICATION, at(2026, 8, 21, 1), {"in_danger": True})
    assert case.in_danger
    assert clock(case, "emergency_12h").due_at == at(2026, 8, 21, 10)

    other = open_case(worker, tree, child, at(2026, 8, 20, 22))
    other = step(other, worker, Status.VERIFICATION, at(2026, 8, 21, 1), {"abuser_relation": "parent"})
    assert clock(other, "emergency_12h").due_at == at(2026, 8, 21, 10)


def test_serious_harm_is_an_emergency_art_31_1(worker, tree, child) -> None:  # noqa: ANN001
    """NĐ 56 Art. 31.1: "bị gây tổn hại nghiêm trọng" (a `serious` harm) needs emergency protection."""
    case = open_case(worker, tree, child, at(2025, 4, 24, 9), category="abused", abuse_forms=["violence"], serious=True)
    assert clock(case, "emergency_12h").due_at == at(2025, 4, 24, 21)


def test_emergency_clock_is_met_by_a_separation_art_32_2(worker, chairman, tree, child) -> None:  # noqa: ANN001
    """NĐ 56 Art. 32.2: the separation decision within 12 hours protects the child: the clock is met."""
    case = open_case(worker, tree, child, at(2025, 4, 26, 8), abuser_relation="parent")
    services.case_add_event(actor=chairman, case=case, kind="separation", at=at(2025, 4, 26, 15))
    emergency = clock(case, "emergency_12h")
    assert emergency.met_at == at(2025, 4, 26, 15) and emergency.stopped_by == "separation"


def test_emergency_clock_stops_when_the_process_moves_past_it_art_26_3(worker, chairman, tree, child) -> None:  # noqa: ANN001
    """NĐ 56 Art. 26.3: the clock is owed by the initial steps; a case gone on to Mẫu 03 or closed no longer owes it."""
    case = open_case(worker, tree, child, at(2025, 4, 24, 9), abuser_relation="caregiver")
    case = step(case, worker, Status.VERIFICATION, at(2025, 4, 24, 10))
    case = step(case, worker, Status.INITIAL_ASSESSMENT, at(2025, 4, 24, 11), {"risk": {"danger": "low"}})
    case = step(case, worker, Status.COMPREHENSIVE_ASSESSMENT, at(2025, 4, 28, 9), {"assessment": {"a": "x"}})
    emergency = clock(case, "emergency_12h")
    assert emergency.met_at == at(2025, 4, 28, 9) and emergency.stopped_by == Status.COMPREHENSIVE_ASSESSMENT
    assert emergency.met_at > emergency.due_at  # it shows as late, not as done in time

    closed = open_case(worker, tree, child, at(2025, 4, 24, 9), in_danger=True)
    closed = close_early(closed, worker, chairman, at(2025, 4, 24, 10))
    assert clock(closed, "emergency_12h").stopped_by == Status.CLOSED


def test_emergency_clock_starts_once_art_31_2(worker, tree, child) -> None:  # noqa: ANN001
    """NĐ 56 Art. 31.2: one 12-hour limit per case: a case back from emergency to assessment gets no second one."""
    case = open_case(worker, tree, child, at(2025, 4, 24, 9), in_danger=True)
    case = step(case, worker, Status.EMERGENCY, at(2025, 4, 24, 12))
    case = step(case, worker, Status.INITIAL_ASSESSMENT, at(2025, 4, 25, 9), {"risk": {"danger": "high"}})
    assert case.deadlines.filter(rule__code="emergency_12h").count() == 1


def test_emergency_warning_before_it_expires_art_31_2(worker, chairman, tree, child) -> None:  # noqa: ANN001
    """NĐ 56 Art. 31.2 ("nhanh nhất có thể"): a "due soon" notice at 8 hours (rule data), then the overdue one."""
    case = open_case(worker, tree, child, at(2025, 4, 24, 20), in_danger=True)
    emergency = clock(case, "emergency_12h")
    assert emergency.warn_at == at(2025, 4, 25, 4)
    assert notify_overdue(at(2025, 4, 25, 3)).notices_sent == 0
    first = notify_overdue(at(2025, 4, 25, 5))
    assert first.notices_sent == 2 and first.due_soon == 1
    assert Notification.objects.filter(deadline=emergency, kind="due_soon").count() == 2
    assert notify_overdue(at(2025, 4, 25, 6)).notices_sent == 0  # once each
    late = notify_overdue(at(2025, 4, 25, 9))
    assert late.notices_sent == 2
    assert Notification.objects.filter(deadline=emergency, kind="overdue").count() == 2


# --- 2. separation ----------------------------------------------------------------------------------------------


def separate(case, chairman, when: dt.datetime, **data):  # noqa: ANN001, ANN003, ANN201
    """The separation is the chairman's decision (NĐ 56 Art. 32.2)."""
    return services.case_add_event(actor=chairman, case=case, kind="separation", at=when, data=data)


def test_extension_does_not_close_the_separation_clock_art_32_3(worker, chairman, tree, child) -> None:  # noqa: ANN001
    """NĐ 56 Art. 32.3: extended, but at most 15 days in total: the extension keeps the clock at 15 days."""
    case = open_case(worker, tree, child, at(2025, 4, 24, 9), abuser_relation="parent")
    separate(case, chairman, at(2025, 4, 24, 15), until="2025-04-28")
    services.separation_extend(
        actor=chairman, case=case, at=at(2025, 4, 28, 9), decision_no="12/QĐ-UBND", decision_date=dt.date(2025, 4, 28),
        authority="Chủ tịch UBND xã", new_end=dt.date(2025, 5, 5),
    )  # fmt: skip
    separation = clock(case, "separation_15d")
    assert separation.met_at is None
    assert separation.due_at == at(2025, 5, 9, 15)
    extension = case.events.get(kind="separation_extended")
    assert extension.data == {
        "decision_no": "12/QĐ-UBND", "decision_date": "2025-04-28", "authority": "Chủ tịch UBND xã",
        "new_end": "2025-05-05", "signature": {"name": extension.by.get_full_name(), "on_behalf": False},
    }  # fmt: skip


def test_longer_separation_needs_a_competent_authority_decision_art_32_3(worker, chairman, tree, child) -> None:  # noqa: ANN001
    """NĐ 56 Art. 32.3: beyond 15 days only "theo yêu cầu của cơ quan có thẩm quyền": the decision is recorded and the
    clock then runs to the new end."""
    case = open_case(worker, tree, child, at(2026, 8, 20, 9), abuser_relation="parent")
    separate(case, chairman, at(2026, 8, 20, 15))
    with pytest.raises(ValidationError):
        services.separation_extend(
            actor=chairman, case=case, at=at(2026, 9, 3, 9), decision_no="", decision_date=dt.date(2026, 9, 3),
            authority="", new_end=dt.date(2026, 9, 30),
        )  # fmt: skip
    services.separation_extend(
        actor=chairman, case=case, at=at(2026, 9, 3, 9), decision_no="05/2026/QĐ-TA", decision_date=dt.date(2026, 9, 3),
        authority="Tòa án nhân dân khu vực 1", new_end=dt.date(2026, 9, 30),
    )  # fmt: skip
    separation = clock(case, "separation_15d")
    assert separation.met_at is None and separation.due_at == end_of(2026, 9, 30)


def test_separation_counts_15_days_in_total_art_32_3(worker, chairman, tree, child) -> None:  # noqa: ANN001
    """NĐ 56 Art. 32.3 "thời hạn cách ly tối đa không quá 15 ngày": a second separation gets what is left."""
    case = open_case(worker, tree, child, at(2025, 4, 24, 9), abuser_relation="parent")
    separate(case, chairman, at(2025, 4, 24, 9))
    services.case_add_event(actor=worker, case=case, kind="separation_review", at=at(2025, 4, 28, 8), note="An toàn")
    services.case_add_event(actor=chairman, case=case, kind="separation_end", at=at(2025, 4, 28, 9))
    separate(case, chairman, at(2025, 5, 10, 9))
    second = case.deadlines.filter(rule__code="separation_15d").order_by("-started_at").first()
    assert second.due_at == at(2025, 5, 21, 9)  # 15 - 4 days separated = 11 days (not until the re-assessment)


def test_a_new_decision_while_still_separated_counts_from_the_first_day_art_32_3(worker, chairman, tree, child) -> None:  # noqa: ANN001
    """NĐ 56 Art. 32.3: a re-assessment answers the clock but the child stays separated; a new separation decision
    while still separated gets what is left of the 15 days counted from the first day, not 15 more."""
    case = open_case(worker, tree, child, at(2025, 4, 24, 9), abuser_relation="parent")
    separate(case, chairman, at(2025, 4, 24, 9))
    services.case_add_event(
        actor=worker, case=case, kind="separation_review", at=at(2025, 4, 27, 9), note="Chưa an toàn"
    )
    with pytest.raises(ValidationError):
        separate(case, chairman, at(2025, 4, 29, 9), until="2025-05-12")  # 18 days since 24/04
    separate(case, chairman, at(2025, 4, 29, 9), until="2025-05-09")
    second = case.deadlines.filter(rule__code="separation_15d").order_by("-started_at").first()
    assert second.due_at == at(2025, 5, 9, 9)  # 15 days from 24/04, the day the child was separated


def test_at_15_days_a_reassessment_or_court_petition_is_due_tt14_art_14_3(worker, chairman, tree, child) -> None:  # noqa: ANN001
    """TT 14/2020 Art. 14.3: after 15 days of separation, a re-assessment (Mẫu 03) or a court petition answers it."""
    case = open_case(worker, tree, child, at(2025, 4, 24, 9), abuser_relation="parent")
    separate(case, chairman, at(2025, 4, 24, 9))
    services.case_add_event(actor=worker, case=case, kind="separation_review", at=at(2025, 5, 8, 9), note="An toàn")
    assert clock(case, "separation_15d").stopped_by == "separation_review"

    other = open_case(worker, tree, child, at(2026, 8, 20, 9), abuser_relation="parent")
    separate(other, chairman, at(2026, 8, 20, 9))
    services.case_add_event(actor=worker, case=other, kind="court_petition", at=at(2026, 9, 3, 9))
    assert clock(other, "separation_15d").stopped_by == "court_petition"


def test_form_07_prints_the_period_decided_art_32_3(worker, chairman, tree, child) -> None:  # noqa: ANN001
    """NĐ 56 Art. 32.3, Mẫu 07: the period is the one the decision sets, not always 15 days; extensions are listed."""
    from treem.cases.documents import context

    case = open_case(worker, tree, child, at(2025, 4, 24, 9), abuser_relation="parent")
    separate(case, chairman, at(2025, 4, 24, 15), until="2025-04-28", where="Nhà bà ngoại")
    ctx = context(case, "07", show_informant=False)
    assert ctx["separation"]["end"].date() == dt.date(2025, 4, 28)
    services.separation_extend(
        actor=chairman, case=case, at=at(2025, 4, 28, 9), decision_no="12/QĐ-UBND", decision_date=dt.date(2025, 4, 28),
        authority="Chủ tịch UBND xã", new_end=dt.date(2025, 5, 5),
    )  # fmt: skip
    ctx = context(case, "07", show_informant=False)
    assert ctx["separation"]["end"].date() == dt.date(2025, 4, 28)
    assert [(e["decision_no"], e["new_end"]) for e in ctx["separation"]["extensions"]] == [
        ("12/QĐ-UBND", dt.date(2025, 5, 5))
    ]


# --- 3. make-up working Saturdays -------------------------------------------------------------------------------


def test_make_up_saturdays_from_the_holidays_package() -> None:
    """The Government's swaps (26/04/2025 for 02/05/2025; 22/08/2026 for 31/08/2026) are read from `holidays`."""
    cal = WorkCalendar(adjustments={})
    assert cal.is_working_day(dt.date(2025, 4, 26)) and cal.is_working_day(dt.date(2026, 8, 22))
    assert not cal.is_working_day(dt.date(2025, 5, 2)) and not cal.is_working_day(dt.date(2026, 8, 31))
    assert cal.add_working_days(at(2025, 4, 24), 2) == end_of(2025, 4, 26)
    assert cal.add_working_days(at(2025, 4, 24), 5) == end_of(2025, 5, 5)
    assert cal.add_working_days(at(2026, 8, 20), 2) == end_of(2026, 8, 22)
    assert cal.add_working_days(at(2026, 8, 20), 5) == end_of(2026, 8, 26)


def test_the_swaps_are_shipped_as_adjustment_rows() -> None:
    """The announced swaps are data an administrator can correct (WorkdayAdjustment rows from a data migration)."""
    rows = dict(WorkdayAdjustment.objects.values_list("date", "kind"))
    assert rows[dt.date(2025, 4, 26)] == "workday" and rows[dt.date(2025, 5, 2)] == "day_off"
    assert rows[dt.date(2026, 8, 22)] == "workday" and rows[dt.date(2026, 8, 31)] == "day_off"
    WorkdayAdjustment.objects.filter(date=dt.date(2026, 8, 22)).update(kind="day_off")  # corrected by an admin
    assert not WorkCalendar().is_working_day(dt.date(2026, 8, 22))


def test_a_late_approval_counts_as_late_over_the_make_up_saturday_art_28_4(worker, chairman, tree, child) -> None:  # noqa: ANN001
    """NĐ 56 Art. 28.4: 2 working days; Saturday 26/04/2025 is one, so an approval on Monday 28/04 is late."""
    case = open_case(worker, tree, child, at(2025, 4, 22, 9))
    for to, when, data in [
        (Status.VERIFICATION, at(2025, 4, 22, 10), {}),
        (Status.INITIAL_ASSESSMENT, at(2025, 4, 22, 11), {"risk": {"danger": "low"}}),
        (Status.COMPREHENSIVE_ASSESSMENT, at(2025, 4, 23, 9), {"assessment": {"a": "x"}}),
        (Status.CASE_CONFERENCE, at(2025, 4, 23, 14), {}),
        (Status.PLAN_DRAFTED, at(2025, 4, 24, 9), PLAN),
    ]:
        case = step(case, worker, to, when, data)
    assert clock(case, "approval_2wd").due_at == end_of(2025, 4, 26)
    step(case, chairman, Status.PLAN_APPROVED, at(2025, 4, 28, 9))
    assert plans_approved_on_time(tree.province.path, dt.date(2025, 4, 1), dt.date(2025, 4, 30)) == (0, 1)


def test_admin_pages_for_clock_rules_adjustments_and_circumstance_types(client, django_user_model) -> None:  # noqa: ANN001
    """An administrator corrects the legal data without a release."""
    from treem.cases.models import ClockRule

    admin = django_user_model.objects.create_superuser("quantri", "qt@example.org", "Mat-khau-dai-2025!")
    login(client, admin)
    rule = ClockRule.objects.get(code="emergency_12h")
    for url in (
        "/admin/cases/clockrule/", "/admin/cases/workdayadjustment/", "/admin/registry/circumstancetype/",
        f"/admin/cases/clockrule/{rule.pk}/change/",
    ):  # fmt: skip
        assert client.get(url).status_code == 200, url


# --- 4. the plan clock ------------------------------------------------------------------------------------------


def test_plan_clock_starts_when_the_needs_are_assessed_art_28_1(worker, tree, child) -> None:  # noqa: ANN001
    """NĐ 56 Art. 28.1: "Căn cứ mức độ tổn hại và nhu cầu…, trong thời hạn 05 ngày làm việc": from Mẫu 03."""
    case = open_case(worker, tree, child, at(2025, 4, 14, 9))
    assert not case.deadlines.filter(rule__code="plan_5wd").exists()
    case = step(case, worker, Status.VERIFICATION, at(2025, 4, 15, 9))
    case = step(case, worker, Status.INITIAL_ASSESSMENT, at(2025, 4, 16, 9), {"risk": {"danger": "low"}})
    case = step(case, worker, Status.COMPREHENSIVE_ASSESSMENT, at(2025, 4, 24, 9), {"assessment": {"a": "x"}})
    plan = clock(case, "plan_5wd")
    assert plan.started_at == at(2025, 4, 24, 9)
    assert plan.due_at == end_of(2025, 5, 5)  # Fri 25, Sat 26 (make-up), Mon 28, Tue 29, (30/4–4/5 off) Mon 5
    step(case, worker, Status.CASE_CONFERENCE, at(2025, 4, 25, 9))
    assert case.deadlines.filter(rule__code="plan_5wd").count() == 1


def test_plan_clock_across_tet(worker, tree, child) -> None:  # noqa: ANN001
    """NĐ 56 Art. 28.1 across Tết Bính Ngọ 2026 (16–20/02 off)."""
    case = open_case(worker, tree, child, at(2026, 2, 10, 9))
    case = step(case, worker, Status.VERIFICATION, at(2026, 2, 11, 9))
    case = step(case, worker, Status.INITIAL_ASSESSMENT, at(2026, 2, 12, 9), {"risk": {"danger": "low"}})
    case = step(case, worker, Status.COMPREHENSIVE_ASSESSMENT, at(2026, 2, 13, 9), {"assessment": {"a": "x"}})
    assert clock(case, "plan_5wd").due_at == end_of(2026, 2, 27)


def test_emergency_cases_are_excepted_from_the_plan_and_approval_limits_art_28_1_28_4(
    worker, chairman, tree, child
) -> None:  # noqa: ANN001, E501
    """NĐ 56 Art. 28.1 and 28.4: 05 and 02 working days "trừ trường hợp khẩn cấp": no such clocks for an emergency."""
    case = open_case(worker, tree, child, at(2026, 8, 20, 9), abuser_relation="parent")
    case = step(case, worker, Status.EMERGENCY, at(2026, 8, 20, 12))
    case = step(case, worker, Status.COMPREHENSIVE_ASSESSMENT, at(2026, 8, 21, 9), {"assessment": {"a": "x"}})
    case = step(case, worker, Status.CASE_CONFERENCE, at(2026, 8, 21, 14))
    case = step(case, worker, Status.PLAN_DRAFTED, at(2026, 8, 24, 9), PLAN)
    assert not case.deadlines.filter(rule__code__in=["plan_5wd", "approval_2wd"]).exists()


# --- 5. alternative-care follow-ups ---------------------------------------------------------------------------


def test_follow_ups_outlive_the_case_art_43_2(worker, chairman, tree, child) -> None:  # noqa: ANN001
    """NĐ 56 Art. 43.2: the 1- and 3-month follow-ups count from the placement, whatever becomes of the case."""
    case = open_case(worker, tree, child, at(2025, 4, 24, 9))
    services.case_add_event(actor=worker, case=case, kind="placement", at=at(2025, 4, 24, 15))
    case = close_early(case, worker, chairman, at(2025, 4, 28, 9))
    one_month = clock(case, "placement_1m")
    assert one_month in overdue_deadlines(at(2025, 5, 25, 9))
    result = notify_overdue(at(2025, 5, 25, 9))
    assert result.notices_sent == 2  # the chairman and the worker, though the case is closed
    services.case_add_event(actor=worker, case=case, kind="follow_up", at=at(2025, 5, 26, 9))
    one_month.refresh_from_db()
    assert one_month.met_at == at(2025, 5, 26, 9)


def test_a_change_of_carer_needs_a_report_and_restarts_the_follow_ups_art_43_2(worker, tree, child) -> None:  # noqa: ANN001
    """NĐ 56 Art. 43.2: "khi trẻ em phải chuyển đổi hình thức, chuyển đổi cá nhân, gia đình" a report is due, and the
    follow-ups count from the day the new carer takes the child."""
    case = open_case(worker, tree, child, at(2025, 4, 24, 9))
    services.case_add_event(actor=worker, case=case, kind="placement", at=at(2025, 4, 24, 15))
    services.case_add_event(actor=worker, case=case, kind="care_change", at=at(2026, 8, 20, 9))
    live = {d.rule.code: d for d in case.deadlines.filter(met_at__isnull=True).select_related("rule")}
    assert set(live) == {"placement_change_report", "placement_1m", "placement_3m"}
    assert live["placement_1m"].started_at == at(2026, 8, 20, 9)
    assert live["placement_change_report"].due_at == end_of(2026, 8, 26)
