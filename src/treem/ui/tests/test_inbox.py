"""The home page is a work inbox: what is owed today, per role, inside the user's scope, each count a link."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from treem.accounts import roles
from treem.cases import services as cases
from treem.cases.models import Case, Notification, RapidAlert, Status
from treem.cases.notifications import notify_overdue
from treem.core.dates import today_vn
from treem.imports.models import ImportJob, JobStatus
from treem.matching.models import MatchCandidate
from treem.registry import services as registry
from treem.registry.models import Child
from treem.ui.selectors import inbox

pytestmark = pytest.mark.django_db


def _login(client, user) -> None:  # noqa: ANN001
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")


def overdue_case(actor, commune, kid=None) -> Case:  # noqa: ANN001
    """A case received 20 hours ago whose 12-hour emergency clock ran out (the suspected abuser is a parent)."""
    return cases.case_open(
        actor=actor, commune=commune, intake_at=timezone.now() - dt.timedelta(hours=20), channel="police",
        category="abused", description="Bị cha đánh", child=kid, child_name="" if kid else "Trẻ chưa rõ tên",
        abuse_forms=["violence"], abuser_relation="parent",
    )  # fmt: skip


def waiting_import(actor, commune, name: str = "danh-sach.xlsx") -> ImportJob:  # noqa: ANN001
    return ImportJob.objects.create(
        unit=commune, unit_path=commune.path, created_by=actor, original_name=name, file_sha256="0" * 64,
        status=JobStatus.VALIDATED, total_rows=12,
    )  # fmt: skip


def young(actor, home, name: str, born: dt.date, pid: str | None = None) -> Child:  # noqa: ANN001
    return registry.child_register(
        actor=actor, household=home, data=registry.ChildInput(full_name=name, sex="M", date_of_birth=born,
                                                                   personal_id=pid),
    )  # fmt: skip


def sixteen_this_month(today: dt.date) -> dt.date:
    return today.replace(year=today.year - 16, day=1)


def pair(a: Child, b: Child) -> MatchCandidate:
    a, b = sorted((a, b), key=lambda c: c.pk)
    return MatchCandidate.objects.create(child_a=a, child_b=b, probability=0.97)


@pytest.fixture
def sibling_home(tree, sibling_officer):  # noqa: ANN001, ANN201
    return registry.household_create(actor=sibling_officer, commune=tree.sibling, head_name="Lò Văn Tâm")


@pytest.fixture
def sibling_work(tree, sibling_officer, sibling_home):  # noqa: ANN001, ANN201
    """A sibling commune with work of every kind: none of it may show in the first commune's inbox."""
    overdue_case(sibling_officer, tree.sibling)
    waiting_import(sibling_officer, tree.sibling, "binh-lu.xlsx")
    a = young(sibling_officer, sibling_home, "Lò Văn Pó", sixteen_this_month(today_vn()))
    b = young(sibling_officer, sibling_home, "Lo Van Po", sixteen_this_month(today_vn()))
    pair(a, b)
    notify_overdue()


def test_an_officers_inbox_counts_the_work_owed_in_the_commune_only(
    tree,
    officer,
    household,
    child,
    sibling_work,  # noqa: ANN001
) -> None:
    overdue_case(officer, tree.commune, child)
    waiting_import(officer, tree.commune)
    ImportJob.objects.create(
        unit=tree.commune, unit_path=tree.commune.path, original_name="saved.xlsx", file_sha256="1" * 64,
        status=JobStatus.COMMITTED,
    )  # fmt: skip
    no_id = young(officer, household, "Sùng A Dơ", dt.date(2018, 3, 4))
    young(officer, household, "Sùng A Lử", sixteen_this_month(today_vn()), pid="012310000999")
    pair(child, no_id)
    notify_overdue()

    box = inbox(officer)

    assert box.count("cases_overdue") == 1
    assert box.count("imports_waiting") == 1
    assert [job.original_name for job in box.waiting_imports] == ["danh-sach.xlsx"]
    assert box.count("duplicates") == 1
    assert box.count("children_without_id") == 1  # the fixture child has an ID; the 16-year-old too
    assert box.count("children_ageing_out") == 1
    assert box.unread == 1  # the overdue notice of the officer's own case, not the sibling's
    assert [n.case.commune_id for n in box.notices] == [tree.commune.pk]
    assert "decide" not in box.block_keys  # an officer takes no chairman's decision


def test_every_count_links_to_the_list_it_counts(tree, officer, household, child, client) -> None:  # noqa: ANN001
    overdue_case(officer, tree.commune, child)
    young(officer, household, "Sùng A Dơ", dt.date(2018, 3, 4))
    waiting_import(officer, tree.commune)
    _login(client, officer)
    box = inbox(officer)
    for key in ("cases_overdue", "children_without_id", "imports_waiting", "children_ageing_out", "duplicates"):
        item = box.item(key)
        response = client.get(item.url)
        assert response.status_code == 200, key
    overdue = client.get(box.item("cases_overdue").url)
    assert len(overdue.context["cases"]) == 1
    without_id = client.get(box.item("children_without_id").url)
    assert [c.full_name for c in without_id.context["page"].object_list] == ["Sùng A Dơ"]
    imports = client.get(box.item("imports_waiting").url)
    assert [j.original_name for j in imports.context["jobs"]] == ["danh-sach.xlsx"]


def test_a_chairmans_inbox_shows_what_waits_for_his_decision(
    tree, make_user, officer, child, sibling_work, client
) -> None:  # noqa: ANN001
    chairman = make_user(roles.COMMUNE_CHAIRMAN, tree.commune)
    plan = overdue_case(officer, tree.commune, child)
    closing = overdue_case(officer, tree.commune)
    Case.objects.filter(pk=plan.pk).update(status=Status.PLAN_DRAFTED)
    Case.objects.filter(pk=closing.pk).update(status=Status.CLOSURE_PROPOSED)
    sibling_plan = Case.objects.get(commune=tree.sibling)
    Case.objects.filter(pk=sibling_plan.pk).update(status=Status.PLAN_DRAFTED)

    box = inbox(chairman)

    assert box.block_keys[0] == "decide"
    assert box.count("plans_to_approve") == 1
    assert box.count("closures_to_decide") == 1
    assert box.count("separations_running") == 0
    assert box.count("cases_overdue") == 2
    assert "imports" not in box.block_keys and "duplicates" not in box.block_keys  # no such capability
    client.force_login(chairman)
    listed = client.get(box.item("plans_to_approve").url).context["cases"]
    assert [c.pk for c in listed] == [plan.pk]
    listed = client.get(box.item("closures_to_decide").url).context["cases"]
    assert [c.pk for c in listed] == [closing.pk]


def test_a_village_collaborator_sees_the_villages_tasks_and_no_case(tree, make_user, officer, household) -> None:  # noqa: ANN001
    collaborator = make_user(roles.VILLAGE_COLLABORATOR, tree.village)
    overdue_case(officer, tree.commune)
    young(officer, household, "Sùng A Dơ", dt.date(2018, 3, 4))  # in Bản Hon
    elsewhere = registry.household_create(actor=officer, commune=tree.commune, village=tree.sibling_village)
    young(officer, elsewhere, "Giàng A Chư", dt.date(2017, 1, 1))  # in Bản Lầm

    box = inbox(collaborator)

    assert box.block_keys == ["registry"]
    assert box.count("children_without_id") == 1
    assert box.book_unit == tree.village


def test_a_province_specialist_sees_overdue_cases_below_and_rapid_alerts(tree, viewer, officer, child) -> None:  # noqa: ANN001
    overdue_case(officer, tree.commune, child)
    serious = cases.case_open(
        actor=officer, commune=tree.commune, intake_at=timezone.now() - dt.timedelta(hours=1), channel="police",
        category="abused", description="Bị xâm hại", child_name="Trẻ chưa rõ tên", abuse_forms=["sexual_abuse"],
    )  # fmt: skip
    assert RapidAlert.objects.filter(case=serious).exists()

    box = inbox(viewer)

    assert box.count("cases_overdue") == 1
    reported = list(RapidAlert.objects.order_by("-created_at", "-pk").values_list("case_id", flat=True))
    assert serious.pk in reported
    assert [a.case_id for a in box.alerts] == reported
    assert box.unread == len(reported)
    assert "registry" in box.block_keys and "imports" in box.block_keys


def test_the_inbox_makes_a_fixed_number_of_queries(
    tree,
    officer,
    household,
    client,
    django_assert_max_num_queries,  # noqa: ANN001
) -> None:
    """At most 17 queries: session, user, unit, the unit overview (4), notices (and their count when more than the
    list shows), cases, registry, imports (2), reports, duplicates, overdue plan tasks; with 13 of each kind of work as
    with 1."""

    def add_work(n: int) -> None:
        for i in range(n):
            overdue_case(officer, tree.commune)
            waiting_import(officer, tree.commune, f"list-{i}.xlsx")
            young(officer, household, f"Sùng A Dơ {i}", dt.date(2018, 3, 1) + dt.timedelta(days=i))
        notify_overdue()

    add_work(1)
    _login(client, officer)
    client.get(reverse("ui:home"))  # warm the session and the role
    with django_assert_max_num_queries(17):
        client.get(reverse("ui:home"))
    add_work(12)
    with django_assert_max_num_queries(17):
        response = client.get(reverse("ui:home"))
    box = response.context["inbox"]
    assert box.unread == 13 and len(box.notices) == 10 and box.not_listed == 3  # all counted, the latest 10 listed
    assert box.count("cases_overdue") == 13 and box.count("imports_waiting") == 13


def test_home_shows_the_inbox_and_a_badge_in_the_navigation(tree, officer, child, client) -> None:  # noqa: ANN001
    case = overdue_case(officer, tree.commune, child)
    notify_overdue()
    _login(client, officer)
    text = client.get(reverse("ui:home")).text
    assert 'data-testid="inbox"' in text
    assert 'data-testid="notice-badge"' in text and ">1<" in text
    assert case.code in text  # the notice names the case and links to it
    assert reverse("cases:detail", args=[case.pk]) in text
    # The badge is on every page, not only on the home page.
    assert 'data-testid="notice-badge"' in client.get(reverse("registry:child_list")).text


def test_marking_a_notice_read_drops_the_badge(tree, officer, child, client) -> None:  # noqa: ANN001
    overdue_case(officer, tree.commune, child)
    notify_overdue()
    notice = Notification.objects.get(recipient=officer)
    _login(client, officer)
    response = client.post(reverse("ui:notice_read", args=[notice.pk]))
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert inbox(officer).unread == 0
    response = client.post(reverse("ui:notice_read", args=[notice.pk]), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'hx-swap-oob="true"' in response.text  # the badge is replaced too


def test_nobody_marks_another_users_notice(tree, officer, sibling_officer, child, client) -> None:  # noqa: ANN001
    overdue_case(officer, tree.commune, child)
    notify_overdue()
    notice = Notification.objects.get(recipient=officer)
    _login(client, sibling_officer)
    assert client.post(reverse("ui:notice_read", args=[notice.pk])).status_code == 404
    assert client.get(reverse("ui:notice_read", args=[notice.pk])).status_code == 405
    notice.refresh_from_db()
    assert notice.read_at is None


def test_mark_all_read(tree, officer, client) -> None:  # noqa: ANN001
    overdue_case(officer, tree.commune)
    overdue_case(officer, tree.commune)
    notify_overdue()
    _login(client, officer)
    client.post(reverse("ui:notices_read_all"))
    assert not Notification.objects.filter(recipient=officer, read_at__isnull=True).exists()


def test_a_province_specialist_acknowledges_a_rapid_alert(tree, viewer, officer, make_user, client) -> None:  # noqa: ANN001
    case = cases.case_open(
        actor=officer, commune=tree.commune, intake_at=timezone.now() - dt.timedelta(hours=1), channel="police",
        category="abused", description="Bị xâm hại", child_name="Trẻ chưa rõ tên", abuse_forms=["sexual_abuse"],
    )  # fmt: skip
    alert = RapidAlert.objects.get(case=case)
    other_province = make_user(roles.PROVINCE_SPECIALIST, tree.other_province)
    _login(client, other_province)
    assert client.post(reverse("ui:alert_ack", args=[alert.pk])).status_code == 404
    _login(client, officer)  # a commune officer does not supervise
    assert client.post(reverse("ui:alert_ack", args=[alert.pk])).status_code in (403, 404)
    _login(client, viewer)
    assert inbox(viewer).unread == 1
    client.post(reverse("ui:alert_ack", args=[alert.pk]))
    alert.refresh_from_db()
    assert alert.acknowledged_at is not None
    assert inbox(viewer).unread == 0


def test_a_user_without_case_rights_sees_no_case_block_nor_notice(tree, make_user, officer) -> None:  # noqa: ANN001
    auditor = make_user(roles.AUDITOR, tree.province)
    overdue_case(officer, tree.commune)
    notify_overdue()
    box = inbox(auditor)
    assert box.blocks == [] and box.unread == 0
