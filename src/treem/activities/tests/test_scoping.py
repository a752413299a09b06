"""Who sees and records which activities: managers by scope, agency reporters only their own agency's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from treem.activities import services
from treem.activities.models import Activity, CostLine, ListedPerson, Material
from treem.activities.selectors import activities_for_user, may_edit, trainings_of
from treem.audit.models import AuditEvent
from treem.staff.models import Worker

from .conftest import DAY, source

pytestmark = pytest.mark.django_db


def _worker(unit, name: str) -> Worker:  # noqa: ANN001
    return Worker.objects.create(unit=unit, unit_path=unit.path, position="officer", full_name=name, since=DAY)


def test_managers_see_their_scope(setup, specialist, officer, sibling_officer) -> None:  # noqa: ANN001
    assert set(activities_for_user(specialist)) == set(Activity.objects.all())
    assert set(activities_for_user(officer)) == {setup.commune_campaign, setup.clinic_inspection}
    assert set(activities_for_user(sibling_officer)) == {setup.sibling_meeting}


def test_agency_reporter_sees_only_the_agency_activities(setup) -> None:  # noqa: ANN001
    assert set(activities_for_user(setup.teacher)) == {setup.school_training}
    assert set(activities_for_user(setup.doctor)) == {setup.clinic_inspection}
    assert not may_edit(setup.teacher, setup.clinic_inspection)
    assert may_edit(setup.doctor, setup.clinic_inspection)


def test_reporter_records_only_for_an_own_agency(setup, tree, types) -> None:  # noqa: ANN001
    with pytest.raises(PermissionDenied):  # no organiser: not theirs to record
        services.activity_create(
            actor=setup.teacher, type=types["campaign"], unit=tree.commune, title="x", starts_on=DAY
        )
    with pytest.raises(PermissionDenied):  # another agency
        services.activity_create(
            actor=setup.teacher, type=types["campaign"], unit=tree.commune, title="x", starts_on=DAY,
            organiser=setup.health,
        )  # fmt: skip
    with pytest.raises(PermissionDenied):  # handing their activity over to another agency
        services.activity_update(actor=setup.teacher, activity=setup.school_training, organiser=setup.health)


def test_reporter_cannot_write_parts_of_another_agency_activity(setup) -> None:  # noqa: ANN001
    with pytest.raises(PermissionDenied):
        services.finding_add(actor=setup.teacher, activity=setup.clinic_inspection, text="Thiếu sổ theo dõi")
    with pytest.raises(PermissionDenied):
        services.cost_add(actor=setup.teacher, activity=setup.clinic_inspection, source=source("local"), amount=1)
    assert not CostLine.objects.exists()


def test_sibling_officer_cannot_record_in_the_commune(setup, tree, sibling_officer, types) -> None:  # noqa: ANN001
    with pytest.raises(PermissionDenied):
        services.activity_create(
            actor=sibling_officer, type=types["campaign"], unit=tree.commune, title="x", starts_on=DAY
        )
    with pytest.raises(PermissionDenied):
        services.material_add(actor=sibling_officer, activity=setup.commune_campaign, kind="leaflet", count=100)
    assert not Material.objects.exists()


def test_pages_answer_404_out_of_scope(client, setup, sibling_officer) -> None:  # noqa: ANN001
    client.force_login(setup.teacher)
    assert client.get(reverse("activities:activity_detail", args=[setup.school_training.pk])).status_code == 200
    assert client.get(reverse("activities:activity_detail", args=[setup.clinic_inspection.pk])).status_code == 404
    response = client.post(
        reverse("activities:finding_add", args=[setup.clinic_inspection.pk]), {"text": "Thiếu sổ theo dõi"}
    )
    assert response.status_code == 404
    client.force_login(sibling_officer)
    assert client.get(reverse("activities:activity_detail", args=[setup.commune_campaign.pk])).status_code == 404
    page = client.get(reverse("activities:activity_list") + "?year=2025").content.decode()
    assert setup.sibling_meeting.title in page
    assert setup.commune_campaign.title not in page


def test_a_user_without_plans_capabilities_is_refused(client, tree, make_user, setup) -> None:  # noqa: ANN001
    from treem.accounts import roles

    collaborator = make_user(roles.VILLAGE_COLLABORATOR, tree.village)
    client.force_login(collaborator)
    assert client.get(reverse("activities:activity_list")).status_code == 403
    assert not activities_for_user(collaborator).exists()


def test_recording_through_the_page_is_audited(client, officer, tree, types) -> None:  # noqa: ANN001
    client.force_login(officer)
    response = client.post(
        reverse("activities:activity_add"),
        {
            "type": types["meeting"].pk, "unit": tree.commune.pk, "title": "Họp tổ công tác", "starts_on": "02/03/2025",
            "children_male": 0, "children_female": 0, "adults_male": 5, "adults_female": 4,
        },
    )  # fmt: skip
    activity = Activity.objects.get(title="Họp tổ công tác")
    assert response.status_code == 302
    assert activity.starts_on == dt.date(2025, 3, 2) and activity.participants == 9
    assert AuditEvent.objects.filter(target_type="activity", target_id=str(activity.pk)).exists()


def test_club_members_are_children_of_the_scope(setup, officer, sibling_officer, child, sibling_child, tree) -> None:  # noqa: ANN001
    club = setup.make(officer, tree.commune, "club_session", "Câu lạc bộ quyền trẻ em")
    services.person_add(actor=officer, activity=club, child=child)
    with pytest.raises(PermissionDenied):
        services.person_add(actor=officer, activity=club, child=sibling_child)
    assert [p.child for p in ListedPerson.objects.filter(activity=club)] == [child]
    worker = _worker(tree.commune, "Lường Thị Mai")
    with pytest.raises(ValidationError):  # a club has no trainees
        services.person_add(actor=officer, activity=club, worker=worker)


def test_trainees_are_staff_people(setup, tree, officer) -> None:  # noqa: ANN001
    mai = _worker(tree.commune, "Lường Thị Mai")
    far = _worker(tree.far_commune, "Ngô Văn Xa")
    services.person_add(actor=setup.teacher, activity=setup.school_training, worker=mai)
    with pytest.raises(PermissionDenied):  # another province's officer
        services.person_add(actor=setup.teacher, activity=setup.school_training, worker=far)
    with pytest.raises(PermissionDenied):  # not the officer's activity to write
        services.person_add(actor=officer, activity=setup.school_training, worker=mai)
    assert list(trainings_of(mai)) == [setup.school_training]


def test_the_person_page_shows_the_training_received(client, setup, tree, officer, specialist) -> None:  # noqa: ANN001
    mai = _worker(tree.commune, "Lường Thị Mai")
    services.person_add(actor=setup.teacher, activity=setup.school_training, worker=mai)
    other = setup.make(officer, tree.commune, "training", "Tập huấn cộng tác viên", starts_on=dt.date(2025, 3, 1))
    services.person_add(actor=officer, activity=other, worker=mai)
    client.force_login(officer)
    page = client.get(reverse("staff:worker", args=[mai.pk])).content.decode()
    assert 'data-testid="training-received"' in page
    assert page.index("Tập huấn giáo viên") < page.index("Tập huấn cộng tác viên")  # newest first
    # the province's training is not the commune officer's to open: shown without a link
    assert reverse("activities:activity_detail", args=[setup.school_training.pk]) not in page
    assert reverse("activities:activity_detail", args=[other.pk]) in page
    client.force_login(specialist)
    page = client.get(reverse("staff:worker", args=[mai.pk])).content.decode()
    assert reverse("activities:activity_detail", args=[setup.school_training.pk]) in page


def test_the_edit_page_keeps_the_rules(client, setup, tree) -> None:  # noqa: ANN001
    client.force_login(setup.teacher)
    url = reverse("activities:activity_edit", args=[setup.school_training.pk])
    data = {
        "type": setup.school_training.type_id, "unit": tree.province.pk, "title": "Tập huấn giáo viên (sửa)",
        "starts_on": "01/06/2025", "organiser": setup.education.pk, "children_male": 0, "children_female": 0,
        "adults_male": 2, "adults_female": 30,
    }  # fmt: skip
    assert client.post(url, data).status_code == 302
    setup.school_training.refresh_from_db()
    assert setup.school_training.title == "Tập huấn giáo viên (sửa)" and setup.school_training.participants == 32
    other = reverse("activities:activity_edit", args=[setup.clinic_inspection.pk])
    assert client.get(other).status_code == 404
    assert client.post(other, data | {"organiser": setup.health.pk}).status_code == 404
