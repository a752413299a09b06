"""Luật Trẻ em Art. 52.2: the commune where the child lives holds the case and approves its plan. A case moves, with
its history, to another commune (of any province); the receiving commune's chairman and workers get it; the sending
commune keeps reading, audited, what it recorded up to the transfer — nothing after it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from treem.accounts import roles
from treem.accounts.tests.helpers import login
from treem.audit.models import AuditEvent
from treem.cases import services
from treem.cases.access import cases_for_user
from treem.cases.models import Notification, Status
from treem.cases.tests.test_services import walk
from treem.core.dates import VN_TZ

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiving(tree, make_user):  # noqa: ANN001, ANN201
    """The sibling commune's chairman and child-protection officer."""
    return make_user(roles.COMMUNE_CHAIRMAN, tree.sibling), make_user(roles.COMMUNE_OFFICER, tree.sibling)


def test_art_52_2_a_case_moves_with_its_history_to_the_childs_commune(case, worker, chairman, tree, receiving) -> None:  # noqa: ANN001
    new_chairman, new_officer = receiving
    case = services.case_transition(actor=worker, case=case, to=Status.VERIFICATION, note="Đã xác minh")
    transfer = services.case_transfer(
        actor=worker, case=case, to_commune=tree.sibling, reason="Gia đình chuyển đến xã Bình Lư"
    )
    case.refresh_from_db()
    assert case.commune == tree.sibling and case.unit_path == tree.sibling.path and case.status == Status.VERIFICATION
    event = case.events.get(kind="transfer")
    assert event.note == "Gia đình chuyển đến xã Bình Lư" and event.data["to"] == tree.sibling.name
    assert transfer.from_commune == tree.commune and transfer.workers == [worker.pk]
    assert case.events.filter(to_status=Status.VERIFICATION).exists()  # the history went with it
    # The receiving commune gets it: its chairman decides, its officer works on it; both are told.
    assert cases_for_user(new_chairman).filter(pk=case.pk).exists()
    assert list(case.workers.all()) == [new_officer]
    assert Notification.objects.filter(case=case, recipient__in=[new_chairman, new_officer]).count() == 2
    # The sending commune does not hold it any more.
    assert not cases_for_user(worker).filter(pk=case.pk).exists()
    assert not cases_for_user(chairman).filter(pk=case.pk).exists()
    summaries = set(AuditEvent.objects.filter(target_type="case", action="change").values_list("unit_path", flat=True))
    assert {tree.commune.path, tree.sibling.path} <= summaries  # audited on both sides


def test_art_52_2_the_receiving_chairman_approves_the_plan(case, worker, chairman, tree, receiving) -> None:  # noqa: ANN001
    new_chairman, new_officer = receiving
    case = walk(case, worker, chairman, Status.PLAN_DRAFTED)
    services.case_transfer(actor=chairman, case=case, to_commune=tree.sibling, reason="Trẻ chuyển đến ở với bà")
    case.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.case_transition(actor=chairman, case=case, to=Status.PLAN_APPROVED)
    case = services.case_transition(actor=new_chairman, case=case, to=Status.PLAN_APPROVED)
    case = services.case_transition(actor=new_officer, case=case, to=Status.IMPLEMENTATION)
    assert case.status == Status.IMPLEMENTATION


def test_a_case_moves_to_another_province(case, worker, tree, make_user) -> None:  # noqa: ANN001
    far_supervisor = make_user(roles.PROVINCE_SPECIALIST, tree.other_province)
    near_supervisor = make_user(roles.PROVINCE_SPECIALIST, tree.province)
    services.case_transfer(actor=worker, case=case, to_commune=tree.far_commune, reason="Cả nhà vào Đồng Nai")
    case.refresh_from_db()
    assert case.unit_path == tree.far_commune.path
    assert cases_for_user(far_supervisor).filter(pk=case.pk).exists()
    assert not cases_for_user(near_supervisor).filter(pk=case.pk).exists()


def test_who_may_transfer_and_what(case, worker, chairman, tree, make_user) -> None:  # noqa: ANN001
    unassigned = make_user(roles.COMMUNE_OFFICER, tree.commune)
    with pytest.raises(PermissionDenied):
        services.case_transfer(actor=unassigned, case=case, to_commune=tree.sibling, reason="x")
    with pytest.raises(ValidationError):
        services.case_transfer(actor=worker, case=case, to_commune=tree.commune, reason="x")
    with pytest.raises(ValidationError):
        services.case_transfer(actor=worker, case=case, to_commune=tree.province, reason="x")
    with pytest.raises(ValidationError):
        services.case_transfer(actor=worker, case=case, to_commune=tree.sibling, reason="  ")
    case = walk(case, worker, chairman, Status.CLOSED)
    with pytest.raises(ValidationError):
        services.case_transfer(actor=worker, case=case, to_commune=tree.sibling, reason="x")


def test_the_sending_commune_reads_what_it_recorded_up_to_the_transfer(
    client, case, worker, chairman, tree, receiving, make_user
) -> None:  # noqa: ANN001
    new_chairman, new_officer = receiving
    case = services.case_transition(actor=worker, case=case, to=Status.VERIFICATION, note="Ghi chép của xã cũ")
    services.case_transfer(actor=worker, case=case, to_commune=tree.sibling, reason="Chuyển nơi ở")
    case.refresh_from_db()
    services.case_transition(actor=new_officer, case=case, to=Status.INITIAL_ASSESSMENT, note="Ghi chép của xã mới")
    url = reverse("cases:sent_detail", args=[case.pk])
    for reader in (worker, chairman, make_user(roles.PROVINCE_SPECIALIST, tree.province)):
        login(client, reader)
        assert client.get(reverse("cases:detail", args=[case.pk])).status_code in (200, 404)
        before = AuditEvent.objects.count()
        text = client.get(url).text
        assert "Ghi chép của xã cũ" in text and "Chuyển nơi ở" in text and "Ghi chép của xã mới" not in text
        row = AuditEvent.objects.order_by("pk")[before:].get()
        assert row.summary.startswith(f"Xem hồ sơ vụ việc đã chuyển {case.code}") and row.actor == reader
        assert row.unit_path == tree.commune.path
        assert case.code in client.get(reverse("cases:sent_list")).text
    # The sending worker and chairman cannot open the case itself any more, nor write to it.
    for former in (worker, chairman):
        login(client, former)
        assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
        assert client.post(reverse("cases:transfer", args=[case.pk]), {"reason": "x"}).status_code == 404
    # Those who never took part read nothing.
    for stranger in (
        make_user(roles.COMMUNE_OFFICER, tree.commune), make_user(roles.VILLAGE_COLLABORATOR, tree.village),
        make_user(roles.COMMUNE_CHAIRMAN, tree.far_commune), make_user(roles.CASE_WORKER, tree.commune),
    ):  # fmt: skip
        login(client, stranger)
        assert client.get(url).status_code == 404
        assert case.code not in client.get(reverse("cases:sent_list")).text


def test_the_transfer_page(client, case, worker, tree, receiving) -> None:  # noqa: ANN001
    login(client, worker)
    detail = client.get(reverse("cases:detail", args=[case.pk])).text
    url = reverse("cases:transfer", args=[case.pk])
    assert url in detail
    form = client.get(url).context["form"]
    assert tree.sibling in form.fields["to_commune"].queryset and tree.commune not in form.fields["to_commune"].queryset
    response = client.post(url, {"to_commune": tree.sibling.pk, "reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    now = timezone.now().astimezone(VN_TZ)
    data = {"to_commune": tree.sibling.pk, "reason": "Gia đình chuyển nhà", "on": now.strftime("%d/%m/%Y"),
            "hour": now.strftime("%H:%M")}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == reverse("cases:sent_detail", args=[case.pk])
    case.refresh_from_db()
    assert case.commune == tree.sibling


def test_the_sent_list_reads_the_transfers_in_one_go(
    client, worker, chairman, tree, child, intake_time, receiving, django_assert_num_queries
) -> None:  # noqa: ANN001
    """The list of cases transferred out costs the same few queries however many cases were transferred."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def transfer_one() -> str:
        case = services.case_open(
            actor=worker, commune=tree.commune, intake_at=intake_time, channel="hotline_111", category="at_risk",
            description="Gia đình chuyển nhà", child=child,
        )  # fmt: skip
        services.case_transfer(actor=worker, case=case, to_commune=tree.sibling, reason="Gia đình chuyển đến")
        return case.code

    codes = [transfer_one()]
    one = {}
    for user in (worker, chairman):
        login(client, user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("cases:sent_list")).status_code == 200
        one[user.pk] = len(queries)
    codes += [transfer_one() for _n in range(3)]
    for user in (worker, chairman):
        login(client, user)
        with django_assert_num_queries(one[user.pk]):
            text = client.get(reverse("cases:sent_list")).text
        assert all(code in text for code in codes)
