"""Progress as dated history rows, overdue flagging, progress by agency and by section, event participants."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from treem.audit.models import AuditEvent
from treem.core.dates import today_vn
from treem.plans import services
from treem.plans.models import Evidence, Participant, ProgressUpdate, Task
from treem.plans.selectors import overdue_tasks, plan_progress, progress_chart, tasks_for_user, with_overdue

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def _report(setup, task, on, status, percent, note="Đã triển khai", **kw):  # noqa: ANN001, ANN003, ANN202
    return services.progress_record(
        actor=setup.teacher, task=task, on=on, status=status, percent=percent, note=note, **kw
    )


def test_progress_updates_are_kept_as_history_signed_and_audited(setup) -> None:  # noqa: ANN001
    _report(setup, setup.school, dt.date(2026, 3, 1), "in_progress", 30, "Tập huấn giáo viên")
    _report(setup, setup.school, dt.date(2026, 6, 1), "in_progress", 60, "Kiểm tra 20 trường")
    setup.school.refresh_from_db()
    assert (setup.school.percent, setup.school.updated_on) == (60, dt.date(2026, 6, 1))
    rows = list(ProgressUpdate.objects.filter(task=setup.school).values_list("on", "percent", "author", "note"))
    assert rows == [
        (dt.date(2026, 6, 1), 60, setup.teacher.pk, "Kiểm tra 20 trường"),
        (dt.date(2026, 3, 1), 30, setup.teacher.pk, "Tập huấn giáo viên"),
    ]
    audited = AuditEvent.objects.filter(target_type="plan_task", target_id=str(setup.school.pk), actor=setup.teacher)
    assert audited.count() == 2


def test_a_late_report_of_an_earlier_date_does_not_replace_the_latest(setup) -> None:  # noqa: ANN001
    _report(setup, setup.school, dt.date(2026, 6, 1), "in_progress", 60)
    _report(setup, setup.school, dt.date(2026, 4, 1), "in_progress", 40)
    setup.school.refresh_from_db()
    assert setup.school.percent == 60
    assert ProgressUpdate.objects.filter(task=setup.school).count() == 2


@pytest.mark.parametrize(
    ("status", "percent", "field"),
    [("done", 80, "percent"), ("in_progress", 101, "percent"), ("not_started", 20, "status"), ("bogus", 0, "status")],
)
def test_inconsistent_progress_is_refused(setup, status, percent, field) -> None:  # noqa: ANN001
    with pytest.raises(ValidationError) as exc:
        _report(setup, setup.school, TODAY, status, percent)
    assert field in exc.value.message_dict
    assert not ProgressUpdate.objects.exists()


def test_evidence_files_are_kept_with_the_update_and_only_safe_kinds(setup, client) -> None:  # noqa: ANN001
    pdf = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    update = _report(setup, setup.school, TODAY, "in_progress", 50, evidence=[pdf])
    evidence = Evidence.objects.get(update=update)
    assert evidence.name == "bien-ban.pdf"
    client.force_login(setup.teacher)
    assert client.get(reverse("plans:evidence_download", args=[evidence.pk])).status_code == 200
    client.force_login(setup.doctor)
    assert client.get(reverse("plans:evidence_download", args=[evidence.pk])).status_code == 404
    script = SimpleUploadedFile("x.html", b"<script>", content_type="text/html")
    with pytest.raises(ValidationError):
        _report(setup, setup.school, TODAY, "in_progress", 55, evidence=[script])


def test_progress_form_over_htmx_returns_the_partial_with_the_new_row(client, setup) -> None:  # noqa: ANN001
    client.force_login(setup.teacher)
    response = client.post(
        reverse("plans:progress_add", args=[setup.school.pk]),
        {"on": "01/06/2026", "status": "in_progress", "percent": "45", "note": "Đã tổ chức 5 lớp"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="progress"' in body and "<html" not in body
    assert "Đã tổ chức 5 lớp" in body and "45%" in body
    setup.school.refresh_from_db()
    assert setup.school.percent == 45


def test_the_partial_after_closing_an_overdue_task_no_longer_flags_it(client, setup) -> None:  # noqa: ANN001
    client.force_login(setup.teacher)
    page = client.get(reverse("plans:task_detail", args=[setup.late.pk])).content.decode()
    assert 'data-testid="overdue"' in page  # deadline 31/05/2026 passed, not started
    response = client.post(
        reverse("plans:progress_add", args=[setup.late.pk]),
        {"on": "01/06/2026", "status": "cancelled", "percent": "0", "note": "Gộp vào nhiệm vụ khác"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and 'data-testid="saved"' in body
    assert "job-failed" not in body  # the status tag of the partial: closed, so not overdue any more


def test_overdue_is_deadline_passed_and_not_done(setup) -> None:  # noqa: ANN001
    # late: deadline 31/05 not started; clinic: deadline 31/03, done -> not overdue
    services.progress_record(
        actor=setup.doctor, task=setup.clinic, on=dt.date(2026, 3, 30), status="done", percent=100, note="Xong"
    )
    today = TODAY

    def overdue(task: Task, on: dt.date) -> bool:
        return with_overdue(Task.objects.filter(pk=task.pk), on).get().overdue  # type: ignore[attr-defined]

    assert overdue(setup.late, today)
    assert not overdue(setup.school, today)
    assert not overdue(setup.clinic, today)
    assert list(overdue_tasks(setup.teacher, today=today)) == [setup.late]
    assert not overdue_tasks(setup.doctor, today=today).exists()
    assert not overdue(setup.late, dt.date(2026, 5, 31))  # on the deadline day itself: not yet


def test_progress_by_agency_and_section(setup, specialist) -> None:  # noqa: ANN001
    _report(setup, setup.school, TODAY, "in_progress", 50)
    _report(setup, setup.month, TODAY, "done", 100)
    services.progress_record(actor=specialist, task=setup.commune_task, on=TODAY, status="in_progress", percent=20,
                             note="x")  # fmt: skip
    progress = plan_progress(setup.plan, tasks_for_user(specialist), today=TODAY)
    by_agency = {r.label: (r.tasks, r.done, r.in_progress, r.overdue, r.mean_percent) for r in progress.by_agency}
    assert by_agency == {
        "Sở GD&ĐT": (3, 1, 1, 1, 50),  # (50 + 0 + 100) / 3; the late task overdue
        "Sở Y tế": (1, 0, 0, 1, 0),  # the clinic task: deadline 31/03 passed
        "Xã Khun Há": (1, 0, 1, 0, 20),
    }
    by_section = {r.label: (r.tasks, r.done, r.overdue, r.mean_percent) for r in progress.by_section}
    assert by_section == {"II.1 Thực hiện chính sách": (4, 0, 2, 18), "II.8 Tháng hành động": (1, 1, 0, 100)}
    assert (progress.total.tasks, progress.total.overdue) == (5, 2)
    assert {t.pk for t in progress.tasks if t.overdue} == {setup.late.pk, setup.clinic.pk}  # type: ignore[attr-defined]
    # the reporter's view of the same plan counts only the agency's tasks
    mine = plan_progress(setup.plan, tasks_for_user(setup.teacher), today=TODAY)
    assert [r.label for r in mine.by_agency] == ["Sở GD&ĐT"]


def test_chart_bar_lengths_follow_the_mean_percent(setup, specialist) -> None:  # noqa: ANN001
    _report(setup, setup.school, TODAY, "in_progress", 50)
    progress = plan_progress(setup.plan, tasks_for_user(specialist), today=TODAY)
    chart = progress_chart(progress.by_section)
    assert chart is not None
    widths = [b.width for b in chart.bars]
    assert progress.by_section[0].mean_percent == 12  # 50/4 = 12.5, rounded half to even
    assert widths == [round(12 / 100 * 520), 0]  # the event's section: not started, no bar
    assert chart.bars[0].tone == "bar-late"  # a task of the section is overdue
    assert chart.bars[1].tone == ""


def test_plan_page_shows_counts_and_svg(client, setup, specialist) -> None:  # noqa: ANN001
    client.force_login(specialist)
    body = client.get(reverse("plans:plan_detail", args=[setup.plan.pk])).content.decode()
    assert "<svg" in body and 'data-testid="agency-chart"' in body
    assert 'data-testid="overdue"' in body
    assert "<script" not in body.split("<body", 1)[1]


def test_event_participants_only_from_the_user_scope(setup, officer, child, sibling_child, specialist) -> None:  # noqa: ANN001
    commune_event = services.task_create(
        actor=specialist, section=setup.s2, title="Ngày hội tuổi thơ tại xã", deadline=dt.date(2026, 6, 1),
        assignee_unit=officer.unit, event_kind=setup.month.event_kind.__class__.objects.get(code="childhood_festival"),
    )  # fmt: skip
    services.participant_add(actor=officer, task=commune_event, child=child)
    with pytest.raises(PermissionDenied):
        services.participant_add(actor=officer, task=commune_event, child=sibling_child)
    assert list(Participant.objects.filter(task=commune_event).values_list("child", flat=True)) == [child.pk]
    # an agency reporter sees no registry: cannot list children at all
    with pytest.raises(PermissionDenied):
        services.participant_add(actor=setup.teacher, task=setup.month, child=child)


def test_participant_add_view_404s_on_a_child_out_of_scope(client, setup, officer, sibling_child, specialist) -> None:  # noqa: ANN001
    event = services.task_create(
        actor=specialist, section=setup.s2, title="Trung thu", deadline=dt.date(2026, 9, 30),
        assignee_unit=officer.unit, event_kind=setup.month.event_kind.__class__.objects.get(code="mid_autumn"),
    )  # fmt: skip
    client.force_login(officer)
    response = client.post(reverse("plans:participant_add", args=[event.pk]), {"child": sibling_child.pk})
    assert response.status_code == 404
    assert not Participant.objects.exists()


def test_event_report_and_theme(setup, specialist) -> None:  # noqa: ANN001
    report = services.event_report_save(
        actor=setup.teacher, task=setup.month, narrative="Lễ phát động tại 8 huyện", children_count=1200,
        adults_count=300, held_on=dt.date(2026, 6, 1),
    )  # fmt: skip
    assert report.children_count == 1200
    assert setup.month.theme == "Chung tay bảo vệ trẻ em"
    with pytest.raises(ValidationError):
        services.event_report_save(actor=setup.teacher, task=setup.school, narrative="x", children_count=1,
                                   adults_count=0)  # fmt: skip
    with pytest.raises(ValidationError):  # a theme only on an event kind that has one
        services.task_create(actor=specialist, section=setup.s1, title="x", deadline=TODAY, agency=setup.education,
                             theme="y")  # fmt: skip


def test_forum_recommendations_and_follow_up(setup, specialist) -> None:  # noqa: ANN001
    from treem.plans.models import EventKind

    forum = services.task_create(
        actor=specialist, section=setup.s2, title="Diễn đàn trẻ em tỉnh", deadline=dt.date(2026, 8, 1),
        agency=setup.education, event_kind=EventKind.objects.get(code="children_forum"),
    )  # fmt: skip
    rec = services.recommendation_add(
        actor=setup.teacher, task=forum, text="Có thêm sân chơi", addressed_to="UBND tỉnh"
    )
    services.recommendation_follow_up(actor=setup.teacher, recommendation=rec, follow_up="Đã giao Sở VHTTDL",
                                      status="answered")  # fmt: skip
    rec.refresh_from_db()
    assert (rec.status, rec.follow_up) == ("answered", "Đã giao Sở VHTTDL")
    with pytest.raises(ValidationError):
        services.recommendation_add(actor=setup.teacher, task=setup.month, text="x")


def test_inbox_counts_overdue_tasks(setup, client) -> None:  # noqa: ANN001
    from treem.ui.selectors import inbox

    box = inbox(setup.teacher, now=dt.datetime(2026, 6, 15, 3, 0, tzinfo=dt.UTC))
    assert box.count("tasks_overdue") == 1  # the late one (deadline 31/05/2026); not the health department's
    assert reverse("plans:my_tasks") in box.item("tasks_overdue").url


def test_participant_picker_offers_only_children_in_scope(
    client, setup, officer, child, sibling_child, specialist
) -> None:  # noqa: ANN001
    from treem.plans.models import EventKind

    event = services.task_create(
        actor=specialist, section=setup.s2, title="Trại hè", deadline=dt.date(2026, 8, 1), assignee_unit=officer.unit,
        event_kind=EventKind.objects.get(code="summer_camp"),
    )  # fmt: skip
    client.force_login(officer)
    body = client.get(reverse("plans:participant_picker", args=[event.pk]), {"q": "Sua"}).content.decode()
    assert child.full_name in body  # Sùng Thị Sua, of Khun Há
    assert sibling_child.full_name not in body  # Lò Thị Sua, of the sibling commune
    client.post(reverse("plans:participant_add", args=[event.pk]), {"child": child.pk})
    assert list(event.participants.values_list("child", flat=True)) == [child.pk]
    page = client.get(reverse("plans:task_detail", args=[event.pk])).content.decode()
    assert child.full_name in page
    client.force_login(setup.teacher)  # a reporter of another agency: the commune's event is not theirs
    assert client.get(reverse("plans:task_detail", args=[event.pk])).status_code == 404


def test_programmes_page_computes_a_unit_s_targets_once(client, tree, specialist) -> None:  # noqa: ANN001
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from treem.indicators.models import Indicator, Target

    immunised = Indicator.objects.get(code="immunised_under1")
    year = today_vn().year
    target = Target.objects.create(indicator=immunised, unit=tree.province, year=year, comparison="at_least", value=85)
    services.programme_create(actor=specialist, code="ctr-a", name="Chương trình A", start_year=2021, end_year=2030,
                              unit=tree.province, targets=[target])  # fmt: skip
    client.force_login(specialist)
    url = reverse("plans:programmes")
    with CaptureQueriesContext(connection) as one:
        body = client.get(url).content.decode()
    assert body.count(immunised.name) == 1
    services.programme_create(actor=specialist, code="ctr-b", name="Chương trình B", start_year=2021, end_year=2030,
                              unit=tree.province, targets=[target])  # fmt: skip
    with CaptureQueriesContext(connection) as two:
        body = client.get(url).content.decode()
    assert body.count(immunised.name) == 2  # each programme shows where its target stands
    assert len(two) == len(one)  # the province's targets computed once for both
