"""The roster pages by scope: who sees and who manages, out of scope is 404, people without an account added and
ended, the coverage view, and the panel slot other apps fill on a person's page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Template
from django.urls import reverse

from treem.accounts import roles
from treem.audit.models import AuditEvent
from treem.core.dates import today_vn
from treem.core.panels import STAFF_WORKER, Panel, register_panel, unregister_panel
from treem.staff.models import Position, Worker

pytestmark = pytest.mark.django_db


def _person(unit, position: str = Position.COLLABORATOR, name: str = "Lò Văn Tiến") -> Worker:  # noqa: ANN001
    return Worker.objects.create(
        unit=unit, unit_path=unit.path, position=position, full_name=name, since=dt.date(2024, 1, 1)
    )


@pytest.fixture
def chairman(tree, make_user):  # noqa: ANN001, ANN201
    return make_user(roles.COMMUNE_CHAIRMAN, tree.commune)


def test_the_officer_sees_the_commune_roster_with_the_accounts(client, tree, officer, make_user) -> None:  # noqa: ANN001
    collaborator = make_user(roles.VILLAGE_COLLABORATOR, tree.village, first_name="Páo", last_name="Giàng A")
    _person(tree.sibling_village, name="Sùng Thị Dua")
    client.force_login(officer)
    page = client.get(reverse("staff:roster")).content.decode()
    assert officer.get_full_name() in page and "Giàng A Páo" in page and "Sùng Thị Dua" in page
    assert collaborator.username in page


def test_nothing_sideways_or_above(client, tree, sibling_officer, officer) -> None:  # noqa: ANN001
    mine = Worker.objects.get(user=officer)
    client.force_login(sibling_officer)
    assert list(client.get(reverse("staff:roster")).context["workers"]) == [Worker.objects.get(user=sibling_officer)]
    assert client.get(reverse("staff:worker", args=[mine.pk])).status_code == 404
    assert client.get(reverse("staff:worker_edit", args=[mine.pk])).status_code == 404
    assert client.get(reverse("staff:roster"), {"unit": tree.commune.pk}).status_code == 404
    assert client.get(reverse("staff:coverage"), {"unit": tree.province.pk}).status_code == 404
    assert client.get(reverse("staff:worker_add", args=[tree.village.pk])).status_code == 404


def test_a_collaborator_sees_no_roster(client, tree, make_user) -> None:  # noqa: ANN001
    client.force_login(make_user(roles.VILLAGE_COLLABORATOR, tree.village))
    assert client.get(reverse("staff:roster")).status_code == 403


def test_the_chairman_reads_but_does_not_manage(client, tree, chairman) -> None:  # noqa: ANN001
    person = _person(tree.village)
    client.force_login(chairman)
    assert client.get(reverse("staff:worker", args=[person.pk])).status_code == 200
    assert client.get(reverse("staff:worker_add", args=[tree.commune.pk])).status_code == 403
    response = client.post(reverse("staff:worker_end", args=[person.pk]), {"until": "01/02/2025"})
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.until is None


def test_the_officer_adds_a_collaborator_without_an_account(client, tree, officer) -> None:  # noqa: ANN001
    client.force_login(officer)
    url = reverse("staff:worker_add", args=[tree.commune.pk])
    response = client.post(url, {
        "unit": f"collaborator:{tree.sibling_village.pk}", "full_name": "Sùng Thị Dua", "sex": "F",
        "phone": "0912345678", "since": "05/03/2024",
    })  # fmt: skip
    worker = Worker.objects.get(full_name="Sùng Thị Dua")
    assert response.status_code == 302 and response["Location"] == reverse("staff:worker", args=[worker.pk])
    assert (worker.unit, worker.position, worker.since, worker.user) == (
        tree.sibling_village,
        Position.COLLABORATOR,
        dt.date(2024, 3, 5),
        None,
    )
    assert AuditEvent.objects.filter(target_type="worker", target_id=str(worker.pk), actor=officer).exists()
    page = client.get(reverse("staff:worker", args=[worker.pk])).content.decode()
    assert "05/03/2024" in page


def test_a_collaborator_cannot_be_put_on_a_commune(client, tree, officer) -> None:  # noqa: ANN001
    from django.core.exceptions import ValidationError

    from treem.staff.services import worker_create

    with pytest.raises(ValidationError):
        worker_create(
            actor=officer, position=Position.COLLABORATOR, unit=tree.commune, full_name="X", since=dt.date(2024, 1, 1)
        )
    with pytest.raises(ValidationError):  # out of scope
        worker_create(
            actor=officer, position=Position.OFFICER, unit=tree.sibling, full_name="X", since=dt.date(2024, 1, 1)
        )


def test_ending_a_post_keeps_the_row_with_its_end_date(client, tree, officer) -> None:  # noqa: ANN001
    person = _person(tree.village)
    client.force_login(officer)
    client.post(reverse("staff:worker_end", args=[person.pk]), {"until": "31/01/2025", "note": "Chuyển công tác"})
    person.refresh_from_db()
    assert (person.until, person.note) == (dt.date(2025, 1, 31), "Chuyển công tác")
    assert person not in client.get(reverse("staff:roster")).context["workers"]
    assert person in client.get(reverse("staff:roster"), {"past": "1"}).context["workers"]


def test_an_account_post_is_not_ended_on_the_roster(client, tree, officer) -> None:  # noqa: ANN001
    mine = Worker.objects.get(user=officer)
    client.force_login(officer)
    client.post(reverse("staff:worker_end", args=[mine.pk]), {"until": today_vn().strftime("%d/%m/%Y")})
    mine.refresh_from_db()
    assert mine.until is None


def test_the_coverage_page_lists_the_gaps(client, tree, viewer, officer) -> None:  # noqa: ANN001
    _person(tree.village)
    client.force_login(viewer)
    response = client.get(reverse("staff:coverage"))
    cover = response.context["cover"]
    assert [c.code for c in cover.communes_without_officer] == [tree.sibling.code]
    assert [v.pk for v in cover.villages_without_collaborator] == [tree.sibling_village.pk]
    page = response.content.decode()
    assert tree.sibling.name in page and tree.sibling_village.name in page


def test_a_registered_panel_shows_on_the_person_page(client, tree, officer) -> None:  # noqa: ANN001
    person = _person(tree.village)
    seen = []

    def training(request, worker):  # noqa: ANN001, ANN202
        seen.append(worker.pk)
        return Panel(Template("<p>{{ panel.text }}</p>"), {"text": "Tập huấn kỹ năng 2025"}, title="Training received")

    register_panel(STAFF_WORKER, training)
    try:
        client.force_login(officer)
        page = client.get(reverse("staff:worker", args=[person.pk])).content.decode()
    finally:
        unregister_panel(STAFF_WORKER, training)
    assert seen == [person.pk]
    assert "Tập huấn kỹ năng 2025" in page and "Training received" in page
