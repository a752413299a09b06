"""Injuries and accidents of children: recording (scope, audit, history), deaths and what a death ends."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from treem.accounts import roles
from treem.audit.models import AuditEvent
from treem.registry import selectors, services
from treem.registry.models import (
    Child,
    ChildStatus,
    Circumstance,
    DeathCause,
    Incident,
    IncidentKind,
    Residence,
)

from .conftest import special

pytestmark = pytest.mark.django_db

D = dt.date
BACKEND = "django.contrib.auth.backends.ModelBackend"


def kind(code: str) -> IncidentKind:
    return IncidentKind.objects.get(code=code)


def record(actor, child, **kw):  # noqa: ANN001, ANN003, ANN201
    values = {"kind": kind("drowning"), "occurred_on": D(2025, 6, 14), "place": "water", "outcome": "hospital"}
    return services.incident_record(actor=actor, child=child, **(values | kw))


def test_the_shipped_kinds_are_data():
    assert set(IncidentKind.objects.values_list("code", flat=True)) >= {
        "drowning", "traffic", "fall", "burn", "poisoning", "animal_bite", "electric_shock", "other",
    }  # fmt: skip


def test_an_incident_is_recorded_audited_and_in_the_timeline(child, officer):
    incident = record(officer, child, activity="bơi ở suối", supervision="alone")
    assert incident.recorded_by == officer
    event = AuditEvent.objects.get(target_type="incident", target_id=str(incident.pk))
    assert event.unit_path == child.unit_path and event.extra["kind"] == "drowning"
    subjects = [e.subject for e in selectors.child_timeline(child, user=officer)]
    assert any("14/06/2025" in s for s in subjects)
    child.refresh_from_db()
    assert child.status == ChildStatus.ACTIVE


def test_a_death_ends_the_childs_intervals_and_residence_on_that_day(child, officer):
    group = services.circumstance_add(actor=officer, child=child, type=special("b"), valid_from=D(2024, 1, 1))
    record(officer, child, outcome="death", occurred_on=D(2025, 7, 2))
    child.refresh_from_db()
    group.refresh_from_db()
    assert (child.status, child.status_date, child.death_cause) == (ChildStatus.DECEASED, D(2025, 7, 2), "injury")
    assert group.valid_to == D(2025, 7, 2)
    assert list(Residence.objects.filter(child=child).values_list("left_on", flat=True)) == [D(2025, 7, 2)]
    assert not Circumstance.objects.on(D(2025, 7, 3)).filter(child=child).exists()


def test_a_death_counts_once(child, officer):
    record(officer, child, outcome="death", occurred_on=D(2025, 7, 2))
    child = Child.objects.get(pk=child.pk)
    with pytest.raises(ValidationError) as exc:
        record(officer, child, outcome="death", occurred_on=D(2025, 7, 2))
    assert "outcome" in exc.value.message_dict
    with pytest.raises(ValidationError):  # nothing after the death
        record(officer, child, occurred_on=D(2025, 7, 3))
    assert Incident.objects.filter(child=child).count() == 1


def test_an_earlier_death_without_cause_is_explained_by_the_incident(child, officer):
    services.child_set_status(actor=officer, child=child, status=ChildStatus.DECEASED, on=D(2025, 7, 2))
    child.refresh_from_db()
    assert child.death_cause == DeathCause.UNKNOWN
    record(officer, child, outcome="death", occurred_on=D(2025, 7, 2))
    child.refresh_from_db()
    assert (child.death_cause, child.status_date) == (DeathCause.INJURY, D(2025, 7, 2))


def test_a_cause_of_death_only_with_the_death(child, officer):
    with pytest.raises(ValidationError):
        services.child_set_status(
            actor=officer, child=child, status=ChildStatus.MOVED_AWAY, on=D(2025, 1, 1), death_cause="illness"
        )
    services.child_set_status(
        actor=officer, child=child, status=ChildStatus.DECEASED, on=D(2025, 1, 1), death_cause="illness"
    )
    child.refresh_from_db()
    assert child.death_cause == DeathCause.ILLNESS


def test_dates_are_checked(child, officer):
    with pytest.raises(ValidationError):
        record(officer, child, occurred_on=D(2012, 1, 1))  # before birth
    with pytest.raises(ValidationError):
        record(officer, child, occurred_on=dt.date.today() + dt.timedelta(days=3))


def test_a_collaborator_records_only_in_their_village(child, sibling_child, tree, make_user):
    collaborator = make_user(roles.VILLAGE_COLLABORATOR, tree.village)
    record(collaborator, child)
    other = make_user(roles.VILLAGE_COLLABORATOR, tree.sibling_village)
    with pytest.raises(PermissionDenied):
        record(other, child)
    with pytest.raises(PermissionDenied):
        record(collaborator, sibling_child)


def test_pages_answer_404_outside_the_scope(client, child, tree, make_user):
    other = make_user(roles.VILLAGE_COLLABORATOR, tree.sibling_village)
    client.force_login(other, backend=BACKEND)
    assert client.get(reverse("registry:incident_add", args=[child.pk])).status_code == 404
    post = {"occurred_on": "14/06/2025", "kind": kind("fall").pk, "place": "home", "outcome": "home_care"}
    assert client.post(reverse("registry:incident_add", args=[child.pk]), post).status_code == 404
    assert not Incident.objects.exists()


def test_the_collaborator_records_through_the_page_and_the_book_shows_it(client, child, household, tree, make_user):
    collaborator = make_user(roles.VILLAGE_COLLABORATOR, tree.village)
    client.force_login(collaborator, backend=BACKEND)
    post = {
        "occurred_on": "14/06/2025", "occurred_time": "16:30", "kind": kind("drowning").pk, "place": "water",
        "outcome": "health_station", "activity": "Tắm suối", "supervision": "child",
    }  # fmt: skip
    response = client.post(reverse("registry:incident_add", args=[child.pk]), post)
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert (incident.occurred_time, incident.supervision) == (dt.time(16, 30), "child")
    page = client.get(reverse("registry:child_detail", args=[child.pk])).content.decode()
    assert "Tắm suối" in page and "14/06/2025" in page
    book = client.get(reverse("registry:household_detail", args=[household.pk])).content.decode()
    assert "Tắm suối" in book


def test_the_status_page_records_the_cause_of_death(client, child, officer):
    client.force_login(officer, backend=BACKEND)
    post = {"status": "deceased", "on": "02/07/2025", "death_cause": "illness"}
    assert client.post(reverse("registry:child_status", args=[child.pk]), post).status_code == 302
    child.refresh_from_db()
    assert (child.status, child.death_cause) == (ChildStatus.DECEASED, DeathCause.ILLNESS)
    page = client.get(reverse("registry:child_detail", args=[child.pk])).content.decode()
    assert "Bệnh tật" in page


def test_the_migration_keeps_earlier_deaths_as_cause_unknown(child, officer):
    import importlib

    from django.apps import apps

    services.child_set_status(actor=officer, child=child, status=ChildStatus.DECEASED, on=D(2024, 1, 1))
    Child.objects.filter(pk=child.pk).update(death_cause="")  # as recorded before causes were asked for
    migration = importlib.import_module("treem.registry.migrations.0014_incidents")
    migration.seed(apps, None)
    child.refresh_from_db()
    assert child.death_cause == DeathCause.UNKNOWN
    assert IncidentKind.objects.filter(code="drowning").count() == 1  # loaded once


def test_an_incident_is_corrected_with_its_history(client, child, officer, tree, make_user):
    incident = record(officer, child)
    client.force_login(officer, backend=BACKEND)
    url = reverse("registry:incident_edit", args=[incident.pk])
    assert client.get(url).status_code == 200
    post = {"occurred_on": "15/06/2025", "kind": kind("drowning").pk, "place": "water", "outcome": "hospital"}
    assert client.post(url, post).status_code == 302
    incident.refresh_from_db()
    assert incident.occurred_on == D(2025, 6, 15)
    assert [h.occurred_on for h in incident.history.order_by("history_id")] == [D(2025, 6, 14), D(2025, 6, 15)]
    assert AuditEvent.objects.filter(target_type="incident", action="change").exists()
    with pytest.raises(ValidationError):  # a death is recorded as an incident of its own, or on the status page
        services.incident_update(actor=officer, incident=incident, outcome="death")
    other = make_user(roles.VILLAGE_COLLABORATOR, tree.sibling_village)
    client.force_login(other, backend=BACKEND)
    assert client.get(url).status_code == 404


def test_the_death_of_an_incident_is_corrected_on_the_status_page(child, officer):
    incident = record(officer, child, outcome="death", occurred_on=D(2025, 7, 2))
    with pytest.raises(ValidationError):
        services.incident_update(actor=officer, incident=incident, occurred_on=D(2025, 7, 1))
    services.incident_update(actor=officer, incident=incident, activity="Tắm ao")  # the rest can be corrected
    assert Incident.objects.get().activity == "Tắm ao"
