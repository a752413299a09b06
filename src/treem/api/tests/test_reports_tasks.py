"""Report status and plan tasks through the API: the reporting and plans pages' personas get the same 404s, the
completeness items are the lines of `treem reports status`, and a progress report goes through the plans' service
(history row and audit row), allowed where the task page allows it."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command

from treem.accounts import permissions, roles
from treem.audit.models import AuditEvent
from treem.plans.models import ProgressUpdate
from treem.plans.tests.conftest import TODAY

pytestmark = pytest.mark.django_db


# --- report status ------------------------------------------------------------------------------------------------


def test_the_completeness_items_are_the_status_command_lines(api_as, tree, cycle, progress, province_officer) -> None:  # noqa: ANN001
    out = StringIO()
    call_command("reports", "status", "--cycle", cycle.code, "--unit", tree.province.code, stdout=out)
    body = api_as(province_officer).get(f"/report-cycles/{cycle.pk}/status", {"unit": tree.province.pk}).json()
    lines = [
        "\t".join((i["unit_code"], i["unit_name"], i["status"], i["submitted_at"] or "", i["timeliness"]))
        for i in body["items"]
    ]
    t = body["totals"]
    total = f"total {t['total']} submitted {t['submitted']} approved {t['approved']} late {t['late']} "
    total += f"missing {t['missing']}"
    assert [*lines, total] == out.getvalue().splitlines()
    assert lines[0] == "03412\tXã Bình Lư\tsubmitted\t2025-05-11T08:00:00+07:00\tlate"  # the fixture is not empty
    assert (body["cycle"], body["unit_code"], body["count"], t["on_time"]) == ("2025S1", tree.province.code, 3, 1)


def test_the_status_opens_on_the_callers_unit_and_pages(api_as, tree, cycle, progress, province_officer) -> None:  # noqa: ANN001
    api = api_as(province_officer)
    body = api.get(f"/report-cycles/{cycle.pk}/status").json()
    assert body["unit_id"] == tree.province.pk and body["count"] == 3
    page = api.get(f"/report-cycles/{cycle.pk}/status", {"page": 2, "page_size": 2}).json()
    assert [i["unit_code"] for i in page["items"]] == ["03433"] and page["totals"]["total"] == 3


def test_report_status_scope_is_the_pages(
    api_as, tree, make_user, cycle, officer, sibling_officer, province_officer
) -> None:  # noqa: ANN001
    """reporting test_out_of_scope_is_not_found: the other province's specialist gets 404 on the province's
    completeness; so do the communes' officers (the province is above them); a missing cycle is 404 too."""
    path = f"/report-cycles/{cycle.pk}/status"
    assert api_as(province_officer).get(path, {"unit": tree.province.pk}).status_code == 200
    far = make_user(roles.PROVINCE_SPECIALIST, tree.other_province)
    for user in (far, officer, sibling_officer):
        response = api_as(user).get(path, {"unit": tree.province.pk})
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    assert api_as(sibling_officer).get(path, {"unit": tree.commune.pk}).status_code == 404
    assert api_as(officer).get(path, {"unit": tree.commune.pk}).status_code == 200  # its own unit (no sub-units)
    assert api_as(province_officer).get("/report-cycles/999999/status").status_code == 404


def test_report_status_needs_the_reporting_capability(api_as, tree, make_user, cycle) -> None:  # noqa: ANN001
    collaborator = make_user(roles.VILLAGE_COLLABORATOR, tree.village)
    assert not permissions.SEE_REPORTS.allows(collaborator)  # the reporting pages answer 403
    api = api_as(collaborator)
    assert api.get("/report-cycles").status_code == 403
    assert api.get(f"/report-cycles/{cycle.pk}").status_code == 403
    assert api.get(f"/report-cycles/{cycle.pk}/status", {"unit": tree.village.pk}).json()["code"] == "forbidden"


def test_cycles_are_listed_and_filtered(api_as, province_officer, cycle, report_types) -> None:  # noqa: ANN001
    from treem.reporting.services import open_cycle

    annual = open_cycle(report_type=report_types["annual"], period="2025")
    api = api_as(province_officer)
    assert [c["code"] for c in api.get("/report-cycles").json()["items"]] == ["2025S1", "2025"]
    assert [c["code"] for c in api.get("/report-cycles", {"period": "2025"}).json()["items"]] == ["2025"]
    only = api.get("/report-cycles", {"type": "six_month"}).json()["items"]
    assert [c["id"] for c in only] == [cycle.pk]
    assert only[0]["deadlines"]["commune"] == cycle.deadlines["commune"]
    assert api.get(f"/report-cycles/{annual.pk}").json()["report_type"] == "annual"


# --- tasks --------------------------------------------------------------------------------------------------------


def _titles(response) -> set[str]:  # noqa: ANN001
    assert response.status_code == 200
    return {t["title"] for t in response.json()["items"]}


def test_tasks_are_scoped_like_the_pages(api_as, setup, specialist, officer, sibling_officer, tree, make_user) -> None:  # noqa: ANN001
    """plans test_scoping: an agency reporter sees only the agency's tasks, the commune officer the task assigned to
    the commune, the sibling commune and the other province nothing; another agency's task answers 404."""
    s = setup
    assert _titles(api_as(s.teacher).get("/tasks")) == {s.school.title, s.late.title, s.month.title}
    assert _titles(api_as(s.doctor).get("/tasks")) == {s.clinic.title}
    assert _titles(api_as(officer).get("/tasks")) == {s.commune_task.title}
    assert _titles(api_as(specialist).get("/tasks")) == {
        t.title for t in (s.school, s.late, s.clinic, s.commune_task, s.month)
    }
    assert _titles(api_as(sibling_officer).get("/tasks")) == set()
    far = make_user(roles.PROVINCE_SPECIALIST, tree.other_province)
    assert _titles(api_as(far).get("/tasks")) == set()
    assert api_as(s.teacher).get(f"/tasks/{s.school.pk}").status_code == 200
    for user, task in ((s.teacher, s.clinic), (far, s.school), (sibling_officer, s.commune_task)):
        response = api_as(user).get(f"/tasks/{task.pk}")
        assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_tasks_need_the_plans_capability(api_as, setup, tree, make_user) -> None:  # noqa: ANN001
    collaborator = make_user(roles.VILLAGE_COLLABORATOR, tree.village)
    assert api_as(collaborator).get("/tasks").status_code == 403  # as plans test_a_user_without_plan_capabilities
    assert api_as(collaborator).get(f"/tasks/{setup.school.pk}").status_code == 403


def test_task_filters(api_as, setup, specialist) -> None:  # noqa: ANN001
    s = setup
    api = api_as(specialist)
    with mock.patch("treem.api.task_endpoints.today_vn", return_value=TODAY):
        assert _titles(api.get("/tasks", {"overdue": "true"})) == {s.late.title, s.clinic.title}
        assert api.get("/tasks", {"agency": s.health.pk}).json()["items"][0]["overdue"] is True
    assert _titles(api.get("/tasks", {"agency": s.education.pk})) == {s.school.title, s.late.title, s.month.title}
    assert _titles(api.get("/tasks", {"plan": s.plan.pk})) == {
        t.title for t in (s.school, s.late, s.clinic, s.commune_task, s.month)
    }
    assert _titles(api.get("/tasks", {"plan": s.plan.pk + 1000})) == set()
    assert _titles(api.get("/tasks", {"status": "done"})) == set()
    assert _titles(api.get("/tasks", {"status": "not_started"})) == {
        t.title for t in (s.school, s.late, s.clinic, s.commune_task, s.month)
    }
    page = api.get("/tasks", {"page": 2, "page_size": 2}).json()
    assert (page["count"], len(page["items"])) == (5, 2)


def test_a_progress_report_writes_history_and_audit(api_as, setup) -> None:  # noqa: ANN001
    task = setup.school
    api = api_as(setup.teacher)
    before = AuditEvent.objects.count()
    body = {"on": "2026-06-01", "status": "in_progress", "percent": 40, "note": "Đã tập huấn 30 trường"}
    response = api.post(f"/tasks/{task.pk}/progress", body)
    assert response.status_code == 200, response.content
    update = ProgressUpdate.objects.get(task=task)
    assert (update.on, update.percent, update.note, update.author) == (
        dt.date(2026, 6, 1),
        40,
        body["note"],
        setup.teacher,
    )
    task.refresh_from_db()
    assert (task.status, task.percent) == ("in_progress", 40)
    audit = AuditEvent.objects.order_by("pk")[before:]
    assert [(a.target_type, a.target_id, a.actor_id) for a in audit] == [("plan_task", str(task.pk), setup.teacher.pk)]
    detail = api.get(f"/tasks/{task.pk}").json()
    assert [(u["on"], u["percent"], u["author_name"]) for u in detail["updates"]] == [
        ("2026-06-01", 40, update.author_name)
    ]
    assert detail["may_report"] is True and response.json()["percent"] == 40


def test_a_refused_progress_report_stores_nothing(api_as, setup) -> None:  # noqa: ANN001
    api = api_as(setup.teacher)
    before = AuditEvent.objects.count()
    response = api.post(f"/tasks/{setup.school.pk}/progress", {"status": "done", "percent": 50, "note": "x"})
    assert response.status_code == 400
    assert response.json() == {"code": "rejected", "message": "Nhiệm vụ đã hoàn thành phải đạt 100 phần trăm."}
    assert api.post(f"/tasks/{setup.school.pk}/progress", {"status": "in_progress", "percent": 5}).status_code == 400
    assert api.post(f"/tasks/{setup.school.pk}/progress", {"percent": 5}).status_code == 422
    nul = {"status": "in_progress", "percent": 5, "note": "a\x00b"}  # PostgreSQL would refuse it: refused first
    assert api.post(f"/tasks/{setup.school.pk}/progress", nul).json()["code"] == "invalid"
    assert not ProgressUpdate.objects.exists() and AuditEvent.objects.count() == before


def test_an_agency_reporter_cannot_report_on_another_agencys_task(api_as, setup, specialist, officer) -> None:  # noqa: ANN001
    """plans test_reporter_pages_404_on_another_agency_task, through the API."""
    body = {"status": "in_progress", "percent": 50, "note": "x"}
    response = api_as(setup.teacher).post(f"/tasks/{setup.clinic.pk}/progress", body)
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert api_as(setup.doctor).post(f"/tasks/{setup.school.pk}/progress", body).status_code == 404
    assert not ProgressUpdate.objects.exists()
    assert api_as(officer).post(f"/tasks/{setup.commune_task.pk}/progress", body).status_code == 200  # as the page
    assert api_as(specialist).get(f"/tasks/{setup.commune_task.pk}").json()["percent"] == 50
