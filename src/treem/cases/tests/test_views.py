"""Case pages: the confidentiality matrix over every page and export (allowed, 404, or 403 for in-scope users who
may not do it), one audit row per read, the intake form, the steps with their forms, and the printable Mẫu 01–07."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from treem.accounts import permissions, roles
from treem.accounts.tests.helpers import login
from treem.audit.models import AuditEvent
from treem.cases import services
from treem.cases.models import Case, Deadline, Notification, RapidAlert, Status
from treem.cases.tests.test_access import MATRIX
from treem.cases.views import may_take
from treem.core.dates import VN_TZ

pytestmark = pytest.mark.django_db


MAUS = ["01", "02", "03", "04", "05", "06", "07"]


def when(minutes_ago: int = 0) -> dict[str, str]:
    at = (timezone.now() - dt.timedelta(minutes=minutes_ago)).astimezone(VN_TZ)
    return {"on": at.strftime("%d/%m/%Y"), "hour": at.strftime("%H:%M")}


def plan_rows(*rows: dict[str, str], total: int = 4, initial: int = 0) -> dict[str, str]:
    data = {
        "plan-TOTAL_FORMS": str(total), "plan-INITIAL_FORMS": str(initial), "plan-MIN_NUM_FORMS": "1",
        "plan-MAX_NUM_FORMS": "30",
    }  # fmt: skip
    for i, row in enumerate(rows):
        data.update({f"plan-{i}-{k}": v for k, v in row.items()})
    return data


LEVEL_ROWS = {"f_harm": "high", "f_danger": "medium", "f_access": "high", "f_obstacles": "low", "f_capacity": "low"}
REVIEW_ROWS = {"f_harm": "low", "f_access": "low", "f_obstacles": "medium", "f_self_protection": "low",
               "f_recovery": "low"}  # fmt: skip
PLAN_ROW = {"service": "Tư vấn tâm lý", "responsible": "Công chức xã", "provider": "Trạm y tế xã",
            "start": "01/12/2026", "end": "31/12/2026", "cost": "500000"}  # fmt: skip
STEP_DATA: dict[str, dict[str, str]] = {
    Status.VERIFICATION: {"note": "Đã xác minh tại gia đình"},
    Status.INITIAL_ASSESSMENT: {**LEVEL_ROWS, "note": "Nguy cơ cao phải bỏ học đi làm"},
    Status.EMERGENCY: {"note": "Đưa em về nhà bà ngoại", "decided_by": "Chủ tịch UBND xã"},
    Status.COMPREHENSIVE_ASSESSMENT: {"i_a": "Sức khỏe bình thường, lo lắng", "i_g": "Em muốn tiếp tục đi học"},
    Status.CASE_CONFERENCE: {"participants": "Chủ tịch xã, công chức, trưởng bản, bố mẹ", "decisions": "Hỗ trợ học"},
    Status.PLAN_DRAFTED: {"goal": "Em trở lại trường", **plan_rows(PLAN_ROW)},
    Status.PLAN_APPROVED: {"decision_no": "15"},
    Status.IMPLEMENTATION: {"note": "Đã báo nhà trường"},
    Status.REVIEW: {**REVIEW_ROWS, "conclusion": "close", "note": "Em đã đi học đều"},
    Status.CLOSURE_PROPOSED: {"note": "Trẻ an toàn, ổn định"},
    Status.CLOSED: {"decision_no": "27"},
}


def step_url(case: Case, to: str) -> str:
    return reverse("cases:step", args=[case.pk, to])


def post_step(client, case: Case, to: str, **extra: str):  # noqa: ANN001, ANN201
    return client.post(step_url(case, to), {**when(-1), **STEP_DATA[to], **extra})


def audit_rows_after(before: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.order_by("pk")[before:])


# --- the confidentiality matrix -------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "where", "sees"), MATRIX)
def test_confidentiality_matrix_for_reads(client, case, tree, make_user, role, where, sees) -> None:  # noqa: ANN001
    user = make_user(role, getattr(tree, where))
    login(client, user)
    dashboard = client.get(reverse("cases:dashboard"))
    assert dashboard.status_code == (200 if permissions.SEE_CASES.allows(user) else 403)  # as the menu shows it
    assert (case.code in dashboard.text) is sees
    expected = 200 if sees else 404
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == expected
    for mau in MAUS:
        url = reverse("cases:document", args=[case.pk, mau])
        assert client.get(url).status_code == expected, mau
        pdf = client.get(url, {"format": "pdf"})
        assert pdf.status_code == expected, mau
        if sees:
            assert pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize(("role", "where", "sees"), MATRIX)
def test_confidentiality_matrix_for_writes(client, case, tree, make_user, role, where, sees) -> None:  # noqa: ANN001
    user = make_user(role, getattr(tree, where))
    other = make_user(roles.CASE_WORKER, tree.commune)
    login(client, user)
    for to in STEP_DATA:
        for method in ("get", "post"):
            response = getattr(client, method)(step_url(case, to), {**when(), **STEP_DATA[to]})
            if not sees:
                assert response.status_code == 404, (to, method)
            elif not may_take(user, case, to):
                assert response.status_code == 403, (to, method)
            else:
                assert response.status_code in (200, 302), (to, method)
    event = reverse("cases:event_add", args=[case.pk])
    expected = 404 if not sees else 403  # nobody in the matrix is assigned to the case
    if role == roles.COMMUNE_CHAIRMAN and sees:
        expected = 200  # the chairman records the separation decisions (Art. 32), not the workers' notes
    assert client.get(event).status_code == expected
    assert client.post(event, {**when(), "kind": "note", "note": "x"}).status_code == expected
    assign = client.post(reverse("cases:assign", args=[case.pk]), {"worker": other.pk})
    assert assign.status_code == (404 if not sees else 302 if role == roles.COMMUNE_CHAIRMAN else 403)
    case.refresh_from_db()
    assert case.events.filter(kind="note").count() == 0


def test_the_assigned_worker_may_do_everything_a_worker_does(client, case, worker) -> None:  # noqa: ANN001
    login(client, worker)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    assert client.get(step_url(case, Status.VERIFICATION)).status_code == 200
    assert client.get(step_url(case, Status.PLAN_APPROVED)).status_code == 403  # the chairman approves
    assert client.get(reverse("cases:event_add", args=[case.pk])).status_code == 200


def test_unknown_step_and_form_are_404(client, case, worker) -> None:  # noqa: ANN001
    login(client, worker)
    assert client.get(step_url(case, "intake")).status_code == 404
    assert client.get(step_url(case, "nonsense")).status_code == 404
    assert client.get(reverse("cases:document", args=[case.pk, "08"])).status_code == 404
    assert client.get(reverse("cases:detail", args=[case.pk + 1000])).status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, case) -> None:  # noqa: ANN001
    for url in (reverse("cases:dashboard"), reverse("cases:detail", args=[case.pk]), reverse("cases:intake"),
                reverse("cases:document", args=[case.pk, "01"])):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- every read audited once ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "args", "params", "action"),
    [
        ("cases:detail", [], {}, "view"),
        ("cases:step", [Status.VERIFICATION], {}, "view"),
        ("cases:event_add", [], {}, "view"),
        ("cases:document", ["01"], {}, "print"),
        ("cases:document", ["04"], {}, "print"),
        ("cases:document", ["01"], {"format": "pdf"}, "export"),
        ("cases:document", ["07"], {"format": "pdf"}, "export"),
    ],
)
def test_each_read_writes_one_audit_event(client, case, worker, name, args, params, action) -> None:  # noqa: ANN001
    login(client, worker)
    before = AuditEvent.objects.count()
    response = client.get(reverse(name, args=[case.pk, *args]), params, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    [event] = audit_rows_after(before)
    assert (event.action, event.target_type, event.target_id) == (action, "case", str(case.pk))
    assert event.actor == worker and event.ip == "10.1.2.3" and event.unit_path == case.unit_path
    assert case.code in event.summary


def test_the_dashboard_read_is_audited_as_a_list(client, case, worker) -> None:  # noqa: ANN001
    login(client, worker)
    before = AuditEvent.objects.count()
    client.get(reverse("cases:dashboard"))
    [event] = audit_rows_after(before)
    assert event.action == "list" and str(case.pk) in event.target_id


def test_a_refused_read_writes_nothing(client, case, tree, make_user) -> None:  # noqa: ANN001
    login(client, make_user(roles.VILLAGE_COLLABORATOR, tree.village))
    before = AuditEvent.objects.count()
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert client.get(reverse("cases:document", args=[case.pk, "01"]), {"format": "pdf"}).status_code == 404
    assert AuditEvent.objects.count() == before


def test_a_write_is_audited_by_its_service_only(client, case, worker) -> None:  # noqa: ANN001
    login(client, worker)
    before = AuditEvent.objects.count()
    assert post_step(client, case, Status.VERIFICATION).status_code == 302
    assert [e.action for e in audit_rows_after(before)] == ["transition"]


def test_a_form_shown_again_with_errors_is_one_read(client, case, worker) -> None:  # noqa: ANN001
    login(client, worker)
    before = AuditEvent.objects.count()
    response = client.post(step_url(case, Status.VERIFICATION), {**when(), "note": ""})
    assert response.status_code == 200 and "errors" in response.text
    assert [e.action for e in audit_rows_after(before)] == ["view"]


# --- the dashboard --------------------------------------------------------------------------------------------


def test_dashboard_lists_by_urgency_and_shows_overdue_in_red(client, case, worker, tree, child) -> None:  # noqa: ANN001
    urgent = services.case_open(
        actor=worker, commune=tree.commune, intake_at=timezone.now() - dt.timedelta(hours=13), channel="police",
        category="abused", description="Bị cha đánh", child=child, abuse_forms=["violence"], abuser_relation="parent",
    )  # fmt: skip
    login(client, worker)
    response = client.get(reverse("cases:dashboard"))
    assert [c.pk for c in response.context["cases"]] == [urgent.pk, case.pk]
    text = response.text
    assert text.index(urgent.code) < text.index(case.code)
    assert 'class="overdue"' in text
    due = urgent.deadlines.get(rule__code="emergency_12h").due_at.astimezone(VN_TZ)
    assert due.strftime("%d/%m/%Y %H:%M") in text
    assert "Can thiệp khẩn cấp" in text


def test_dashboard_shows_my_notifications_and_the_province_alerts(client, worker, tree, child, make_user) -> None:  # noqa: ANN001
    case = services.case_open(
        actor=worker, commune=tree.commune, intake_at=timezone.now() - dt.timedelta(hours=1), channel="hotline_111",
        category="abused", description="x", child=child, abuse_forms=["trafficking"],
    )  # fmt: skip
    Notification.objects.create(recipient=worker, case=case, message="Quá hạn: thử nghiệm")
    login(client, worker)
    text = client.get(reverse("cases:dashboard")).text
    assert "Quá hạn: thử nghiệm" in text and 'data-testid="rapid-alerts"' not in text
    alert = RapidAlert.objects.get(case=case)
    login(client, make_user(roles.PROVINCE_SPECIALIST, tree.province))
    text = client.get(reverse("cases:dashboard")).text
    assert alert.summary in text and "Quá hạn: thử nghiệm" not in text
    login(client, make_user(roles.PROVINCE_SPECIALIST, tree.other_province))
    assert alert.summary not in client.get(reverse("cases:dashboard")).text


# --- intake (Mẫu 01) ------------------------------------------------------------------------------------------


@pytest.fixture
def told_case(worker, tree, child, intake_time):  # noqa: ANN001, ANN201
    return services.case_open(
        actor=worker, commune=tree.commune, intake_at=intake_time, channel="community", category="at_risk",
        description="x", child=child, informant_consents=True, informant_name="Bà Lò Thị Lan",
        informant_contact="0912345678",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("who", "shown"),
    [("intake", True), ("other_worker", False), ("chairman", False), ("province", True)],
)
def test_the_informant_is_shown_only_to_the_intake_worker_and_supervisors(
    client, told_case, worker, chairman, tree, make_user, who, shown
) -> None:  # noqa: ANN001
    if who == "intake":
        user = worker
    elif who == "other_worker":
        user = make_user(roles.CASE_WORKER, tree.commune)
        services.case_assign(actor=worker, case=told_case, worker=user)
    elif who == "chairman":
        user = chairman
    else:
        user = make_user(roles.PROVINCE_SPECIALIST, tree.province)
    login(client, user)
    before = AuditEvent.objects.count()
    for url in (reverse("cases:detail", args=[told_case.pk]), reverse("cases:document", args=[told_case.pk, "01"])):
        text = client.get(url).text
        assert ("Bà Lò Thị Lan" in text) is shown and ("0912345678" in text) is shown
    summaries = [e.summary for e in audit_rows_after(before)]
    assert all(("người báo tin" in s) is shown for s in summaries)


def test_the_case_file_shows_clocks_timeline_and_actions(client, case, worker, chairman) -> None:  # noqa: ANN001
    login(client, worker)
    services.case_add_event(actor=worker, case=case, kind="placement")
    text = client.get(reverse("cases:detail", args=[case.pk])).text
    assert 'data-testid="clock-placement_1m"' in text and "Sùng Thị Sua" in text
    assert step_url(case, Status.VERIFICATION) in text and step_url(case, Status.PLAN_APPROVED) not in text
    assert reverse("cases:event_add", args=[case.pk]) in text
    login(client, chairman)
    text = client.get(reverse("cases:detail", args=[case.pk])).text
    assert step_url(case, Status.VERIFICATION) not in text and step_url(case, Status.CLOSED) not in text
    assert reverse("cases:event_add", args=[case.pk]) in text  # the chairman's decisions on separation


# --- the process through the pages ----------------------------------------------------------------------------


def test_the_case_file_reads_what_it_needs_once(client, case, worker, chairman, django_assert_num_queries) -> None:  # noqa: ANN001
    """The case page asks who may do what once, and reads the events once, whatever the steps and events."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for user in (worker, chairman):
        login(client, user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
        counts.append(len(queries))
        assert sum('FROM "cases_caseevent"' in q["sql"] for q in queries.captured_queries) == 1
    # Three steps now open instead of two, and more events.
    services.case_transition(actor=worker, case=case, to=Status.VERIFICATION, note="Đã xác minh")
    services.case_add_event(actor=worker, case=case, kind="note", note="Gọi điện cho nhà trường")
    for user, count in zip((worker, chairman), counts, strict=True):
        login(client, user)
        with django_assert_num_queries(count):
            assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200


def test_the_whole_process_through_the_pages(client, case, worker, chairman) -> None:  # noqa: ANN001
    login(client, worker)
    for to in (Status.VERIFICATION, Status.INITIAL_ASSESSMENT, Status.COMPREHENSIVE_ASSESSMENT,
               Status.CASE_CONFERENCE, Status.PLAN_DRAFTED):  # fmt: skip
        response = post_step(client, case, to)
        assert response.status_code == 302, (to, response.context and response.context["form"].errors)
    case.refresh_from_db()
    assert case.status == Status.PLAN_DRAFTED
    plan = case.events.get(to_status=Status.PLAN_DRAFTED).data
    assert plan["plan"] == [{"service": "Tư vấn tâm lý", "responsible": "Công chức xã", "provider": "Trạm y tế xã",
                             "start": "2026-12-01", "end": "2026-12-31", "cost": 500000}]  # fmt: skip
    assert post_step(client, case, Status.PLAN_APPROVED).status_code == 403
    login(client, chairman)
    assert post_step(client, case, Status.PLAN_APPROVED).status_code == 302
    login(client, worker)
    for to in (Status.IMPLEMENTATION, Status.REVIEW, Status.CLOSURE_PROPOSED):
        assert post_step(client, case, to).status_code == 302, to
    assert post_step(client, case, Status.CLOSED).status_code == 403  # the chairman decides
    login(client, chairman)
    assert post_step(client, case, Status.CLOSED).status_code == 302
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    proposal = case.events.get(to_status=Status.CLOSURE_PROPOSED)
    assert proposal.data["review"]["obstacles"] == "medium" and proposal.note == "Trẻ an toàn, ổn định"
    assert case.events.get(to_status=Status.CLOSED).data["decision_no"] == "27"
    texts = {mau: client.get(reverse("cases:document", args=[case.pk, mau])).text for mau in MAUS}
    assert "Nguy cơ cao phải bỏ học đi làm" in texts["02"]
    assert "Em muốn tiếp tục đi học" in texts["03"]
    assert "Tư vấn tâm lý" in texts["04"] and "Trạm y tế xã" in texts["04"] and "01/12/2026" in texts["04"]
    assert "500.000" in texts["04"]
    assert "15/QĐ-UBND" in texts["05"] and case.code in texts["05"]
    assert "Em đã đi học đều" in texts["06"] and "trẻ em không còn nguy cơ" in texts["06"].lower()
    for mau, text in texts.items():
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text, mau
        assert f"Mẫu số {mau}" in text and "Xã Khun Há" in text


def test_a_plan_needs_a_row(client, case, worker, chairman) -> None:  # noqa: ANN001
    from treem.cases.tests.test_services import walk

    walk(case, worker, chairman, Status.CASE_CONFERENCE)
    login(client, worker)
    response = client.post(step_url(case, Status.PLAN_DRAFTED), {**when(-1), "goal": "x", **plan_rows()})
    assert response.status_code == 200
    assert response.context["form"].rows.non_form_errors()
    case.refresh_from_db()
    assert case.status == Status.CASE_CONFERENCE


def test_revising_a_plan_starts_from_the_last_one(client, case, worker, chairman) -> None:  # noqa: ANN001
    from treem.cases.tests.test_services import walk

    walk(case, worker, chairman, Status.CASE_CONFERENCE)
    login(client, worker)
    assert post_step(client, case, Status.PLAN_DRAFTED).status_code == 302
    form = client.get(step_url(case, Status.PLAN_DRAFTED)).context["form"]
    assert form.rows.forms[0].initial["service"] == "Tư vấn tâm lý"
    data = {**when(-1), "goal": "y", **plan_rows(PLAN_ROW, {**PLAN_ROW, "service": "Hỗ trợ học phí"}, total=5)}
    assert client.post(step_url(case, Status.PLAN_DRAFTED), data).status_code == 302
    latest = case.events.filter(to_status=Status.PLAN_DRAFTED).order_by("-pk").first()
    assert [r["service"] for r in latest.data["plan"]] == ["Tư vấn tâm lý", "Hỗ trợ học phí"]


def test_a_step_that_is_not_possible_now_goes_back_to_the_file(client, case, worker) -> None:  # noqa: ANN001
    login(client, worker)
    response = post_step(client, case, Status.IMPLEMENTATION)
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.pk])
    case.refresh_from_db()
    assert case.status == Status.INTAKE


def test_a_step_before_the_previous_one_is_refused(client, case, worker) -> None:  # noqa: ANN001
    login(client, worker)
    earlier = (case.intake_at - dt.timedelta(hours=1)).astimezone(VN_TZ)
    data = {"on": earlier.strftime("%d/%m/%Y"), "hour": earlier.strftime("%H:%M"), "note": "x"}
    response = client.post(step_url(case, Status.VERIFICATION), data)
    assert response.status_code == 200 and response.context["form"].non_field_errors()


def test_closing_under_review_without_a_recorded_review_asks_for_form_06(client, case, worker, chairman) -> None:  # noqa: ANN001
    from treem.cases.tests.test_services import walk

    walk(case, worker, chairman, Status.REVIEW)  # moved to review without the Mẫu 06 content
    login(client, worker)
    response = client.post(step_url(case, Status.CLOSURE_PROPOSED), {**when(-1), "note": "x"})
    assert response.status_code == 200 and "f_harm" in response.context["form"].errors
    assert post_step(client, case, Status.CLOSURE_PROPOSED, **REVIEW_ROWS, conclusion="close").status_code == 302


def test_the_chairman_closes_an_unfounded_intake_on_the_workers_proposal(client, case, worker, chairman) -> None:  # noqa: ANN001
    """NĐ 56 Art. 30.1b–c: verified as not a protection case, the worker proposes, the chairman decides."""
    login(client, worker)
    assert post_step(client, case, Status.VERIFICATION).status_code == 302
    assert post_step(client, case, Status.CLOSURE_PROPOSED, note="Không phải trường hợp cần bảo vệ").status_code == 302
    login(client, chairman)
    assert post_step(client, case, Status.CLOSED).status_code == 302
    case.refresh_from_db()
    assert case.status == Status.CLOSED


# --- events, separation, assignment ---------------------------------------------------------------------------


def test_a_separation_event_starts_its_clock_and_fills_form_07(client, case, chairman) -> None:  # noqa: ANN001
    login(client, chairman)  # the separation is the chairman's decision (NĐ 56 Art. 32.2)
    until = (timezone.now().astimezone(VN_TZ) + dt.timedelta(days=7)).strftime("%d/%m/%Y")
    response = client.post(
        reverse("cases:event_add", args=[case.pk]),
        {**when(), "kind": "separation", "where": "Nhà bà ngoại, bản Lầm", "note": "Cha đánh em", "until": until},
    )
    assert response.status_code == 302
    assert Deadline.objects.filter(case=case, rule__code="separation_15d").exists()
    text = client.get(reverse("cases:document", args=[case.pk, "07"])).text
    assert "Nhà bà ngoại, bản Lầm" in text
    assert f"đến ngày {until}" in text  # the period decided (NĐ 56 Art. 32.3)
    assert "Nhà bà ngoại, bản Lầm" in client.get(reverse("cases:detail", args=[case.pk])).text


def test_a_note_needs_its_text(client, case, worker) -> None:  # noqa: ANN001
    login(client, worker)
    response = client.post(reverse("cases:event_add", args=[case.pk]), {**when(), "kind": "note", "note": ""})
    assert response.status_code == 200 and response.context["form"].errors["note"]


def test_assigning_a_worker_lets_them_see_the_case(client, case, chairman, tree, make_user) -> None:  # noqa: ANN001
    newcomer = make_user(roles.CASE_WORKER, tree.commune)
    sibling = make_user(roles.CASE_WORKER, tree.sibling)
    login(client, newcomer)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    login(client, chairman)
    choices = client.get(reverse("cases:detail", args=[case.pk])).context["assign_form"].fields["worker"].queryset
    assert newcomer in choices and sibling not in choices
    client.post(reverse("cases:assign", args=[case.pk]), {"worker": sibling.pk})
    assert not case.workers.filter(pk=sibling.pk).exists()
    client.post(reverse("cases:assign", args=[case.pk]), {"worker": newcomer.pk})
    login(client, newcomer)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200


# --- the registry never reveals a case the viewer may not see -------------------------------------------------


@pytest.mark.parametrize(("role", "where", "sees"), MATRIX)
def test_the_child_page_shows_the_case_only_to_those_who_may_see_it(
    client, case, child, tree, make_user, role, where, sees
) -> None:  # noqa: ANN001
    user = make_user(role, getattr(tree, where))
    login(client, user)
    response = client.get(reverse("registry:child_detail", args=[child.pk]))
    if response.status_code != 200:
        assert response.status_code in (403, 404) and not sees
        return
    assert ('data-testid="child-cases"' in response.text) is sees
    assert (case.code in response.text) is sees


def test_the_child_page_shows_the_case_to_its_worker_and_audits_it(client, case, child, worker) -> None:  # noqa: ANN001
    login(client, worker)
    before = AuditEvent.objects.count()
    text = client.get(reverse("registry:child_detail", args=[child.pk])).text
    assert case.code in text and reverse("cases:detail", args=[case.pk]) in text
    assert [(e.action, e.target_id) for e in audit_rows_after(before)] == [("list", str(case.pk))]


def test_pdf_is_a_pdf(client, case, worker) -> None:  # noqa: ANN001
    login(client, worker)
    response = client.get(reverse("cases:document", args=[case.pk, "01"]), {"format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"mau-01-{case.code}.pdf" in response["Content-Disposition"]


@pytest.mark.parametrize("url_name", ["cases:detail", "cases:step", "cases:document"])
def test_a_case_is_read_only_through_the_scoped_fetch(client, case, tree, make_user, url_name) -> None:  # noqa: ANN001
    """Out of scope, the page reads the case table once, through `cases_for_user` (no peek at its code first)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, make_user(roles.CASE_WORKER, tree.sibling))
    extra = {"cases:step": [Status.VERIFICATION], "cases:document": ["01"]}.get(url_name, [])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(url_name, args=[case.pk, *extra])).status_code == 404
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "cases_case"' in q["sql"]]
    assert len(reads) == 1 and "unit_path" in reads[0], reads
