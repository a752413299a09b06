"""Who sees and updates which tasks: an agency reporter only their agency's tasks (others answer 404)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from treem.accounts import roles
from treem.plans import services
from treem.plans.models import Plan, ProgressUpdate
from treem.plans.selectors import may_manage, plans_for_user, tasks_for_user

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def test_agency_reporter_sees_only_the_agency_tasks(setup) -> None:  # noqa: ANN001
    assert set(tasks_for_user(setup.teacher)) == {setup.school, setup.late, setup.month}
    assert set(tasks_for_user(setup.doctor)) == {setup.clinic}
    assert list(plans_for_user(setup.teacher)) == [setup.plan]


def test_a_reporter_without_an_agency_sees_nothing(setup, tree, make_user) -> None:  # noqa: ANN001
    lone = make_user(roles.AGENCY_REPORTER, tree.province)
    assert not tasks_for_user(lone).exists()
    assert not plans_for_user(lone).exists()


def test_managers_see_their_plans_and_tasks_assigned_to_their_unit(setup, specialist, officer) -> None:  # noqa: ANN001
    assert tasks_for_user(specialist).count() == 5
    assert list(tasks_for_user(officer)) == [setup.commune_task]  # the province's task assigned to the commune
    assert may_manage(specialist, setup.plan)
    assert not may_manage(officer, setup.plan)  # the province's plan: the commune officer only reports its task


def test_sibling_commune_does_not_see_the_commune_task(setup, sibling_officer) -> None:  # noqa: ANN001
    assert not tasks_for_user(sibling_officer).exists()


def test_reporter_pages_404_on_another_agency_task(client, setup) -> None:  # noqa: ANN001
    client.force_login(setup.teacher)
    assert client.get(reverse("plans:task_detail", args=[setup.school.pk])).status_code == 200
    assert client.get(reverse("plans:task_detail", args=[setup.clinic.pk])).status_code == 404
    response = client.post(
        reverse("plans:progress_add", args=[setup.clinic.pk]),
        {"on": "01/06/2026", "status": "in_progress", "percent": "50", "note": "x"},
    )
    assert response.status_code == 404
    assert not ProgressUpdate.objects.filter(task=setup.clinic).exists()


def test_reporter_plan_page_shows_only_the_agency_tasks(client, setup) -> None:  # noqa: ANN001
    client.force_login(setup.teacher)
    page = client.get(reverse("plans:plan_detail", args=[setup.plan.pk])).content.decode()
    assert setup.school.title in page
    assert setup.clinic.title not in page
    assert "Sở Y tế" not in page


def test_reporter_cannot_edit_the_plan(client, setup) -> None:  # noqa: ANN001
    client.force_login(setup.teacher)
    assert client.get(reverse("plans:task_add", args=[setup.plan.pk])).status_code == 403
    assert client.post(reverse("plans:section_add", args=[setup.plan.pk]), {"title": "x"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.section_create(actor=setup.teacher, plan=setup.plan, title="Mục mới")
    with pytest.raises(PermissionDenied):
        services.task_create(
            actor=setup.teacher, section=setup.s1, title="x", deadline=dt.date(2026, 9, 1), agency=setup.education
        )


def test_commune_officer_cannot_edit_the_province_plan(client, setup, officer) -> None:  # noqa: ANN001
    client.force_login(officer)
    assert client.get(reverse("plans:task_add", args=[setup.plan.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.section_create(actor=officer, plan=setup.plan, title="Mục mới")


def test_commune_officer_reports_on_the_task_assigned_to_the_commune(setup, officer) -> None:  # noqa: ANN001
    services.progress_record(
        actor=officer, task=setup.commune_task, on=TODAY, status="in_progress", percent=40, note="Đã rà soát 3 thôn"
    )
    setup.commune_task.refresh_from_db()
    assert setup.commune_task.percent == 40


def test_reporter_cannot_record_progress_on_another_agency_task(setup) -> None:  # noqa: ANN001
    with pytest.raises(PermissionDenied):
        services.progress_record(
            actor=setup.teacher, task=setup.clinic, on=TODAY, status="in_progress", percent=10, note="x"
        )


def test_other_province_specialist_sees_nothing(setup, tree, make_user, client) -> None:  # noqa: ANN001
    other = make_user(roles.PROVINCE_SPECIALIST, tree.other_province)
    assert not plans_for_user(other).exists()
    client.force_login(other)
    assert client.get(reverse("plans:plan_detail", args=[setup.plan.pk])).status_code == 404


def test_a_user_without_plan_capabilities_is_refused(client, tree, make_user, setup) -> None:  # noqa: ANN001
    collaborator = make_user(roles.VILLAGE_COLLABORATOR, tree.village)
    client.force_login(collaborator)
    assert client.get(reverse("plans:my_tasks")).status_code == 403


def test_commune_officer_creates_the_commune_plan(client, officer, tree, kinds) -> None:  # noqa: ANN001
    client.force_login(officer)
    response = client.post(reverse("plans:plan_add"), {"year": "2026", "number": "05/KH-UBND", "title": "Kế hoạch xã"})
    plan = Plan.objects.get(title="Kế hoạch xã")
    assert response.status_code == 302 and plan.unit == tree.commune  # the unit the officer works for, always
    assert may_manage(officer, plan)


def test_agency_reporter_cannot_create_a_plan(client, setup) -> None:  # noqa: ANN001
    client.force_login(setup.teacher)
    assert client.post(reverse("plans:plan_add"), {"year": "2026", "title": "x"}).status_code == 403
