"""A group a case puts the child in (Art. 10 i, k, l, m: abuse) is case data: the registry shows it only to those who
may see the case, audits showing it, and leaves it out of pages, lists, filters, exports and books for everyone
else; counts still count it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from treem.accounts import roles
from treem.accounts.tests.helpers import login
from treem.audit.models import AuditEvent
from treem.cases import proposals, services
from treem.cases.models import Status
from treem.registry import confidential, selectors
from treem.registry import services as registry
from treem.registry.exports import HEADER_ROW
from treem.registry.models import Child, Circumstance, CircumstanceType

pytestmark = pytest.mark.django_db

GROUP = "Hoàn cảnh đặc biệt"

# Those who may not see the case: (role, where, superuser?). The commune officer and case worker are in the commune
# but not assigned; the administrator is the demo's `quantri` (system-admin role, superuser, national unit).
HIDDEN = [
    (roles.VILLAGE_COLLABORATOR, "village", False),
    (roles.AGENCY_REPORTER, "province", False),
    (roles.CENTRAL_VIEWER, "nation", False),
    (roles.AUDITOR, "province", False),
    (roles.SYSTEM_ADMIN, "nation", True),
    (roles.COMMUNE_OFFICER, "commune", False),
    (roles.CASE_WORKER, "commune", False),
    (roles.COMMUNE_CHAIRMAN, "sibling", False),
]
# Those who may see it besides its worker.
SEEING = [(roles.COMMUNE_CHAIRMAN, "commune"), (roles.PROVINCE_SPECIALIST, "province")]


@pytest.fixture
def abuse_case(worker, tree, child):  # noqa: ANN001, ANN201
    """A sexual-abuse case taken to comprehensive assessment, its group l proposal confirmed by the worker: the child
    is now in group l, from the case."""
    case = services.case_open(
        actor=worker, commune=tree.commune, intake_at=timezone.now() - dt.timedelta(days=3), channel="hotline_111",
        category="abused", description="x", child=child, abuse_forms=["sexual_abuse"], setting="community",
    )  # fmt: skip
    for to in (Status.VERIFICATION, Status.INITIAL_ASSESSMENT, Status.COMPREHENSIVE_ASSESSMENT):
        case = services.case_transition(actor=worker, case=case, to=to)
    for proposal in case.group_proposals.all():
        proposals.proposal_confirm(actor=worker, proposal=proposal)
    return case


@pytest.fixture
def group_l() -> CircumstanceType:
    return CircumstanceType.objects.get(kind="special", code="l")


def persona(make_user, tree, role: str, where: str, superuser: bool = False):  # noqa: ANN001, ANN201
    return make_user(role, getattr(tree, where), is_superuser=superuser, is_staff=superuser)


def confidential_audits() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(target_type="circumstance").order_by("pk"))


def sheet_rows(response) -> list[dict]:  # noqa: ANN001
    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    header = rows[HEADER_ROW]
    return [dict(zip(header, row, strict=False)) for row in rows[HEADER_ROW + 1 :] if len(row) > 2 and row[1]]


# --- the data -------------------------------------------------------------------------------------------------


def test_the_abuse_groups_are_flagged_as_case_data_by_data() -> None:
    flagged = set(CircumstanceType.objects.filter(confidential=True).values_list("kind", "code"))
    assert flagged == {("special", "i"), ("special", "k"), ("special", "l"), ("special", "m")}


def test_the_derived_group_names_its_case(abuse_case, child) -> None:  # noqa: ANN001
    membership = child.circumstances.get(type__code="l")
    assert membership.confidential
    assert membership.source_case_id == abuse_case.pk
    assert membership.source_unit_path == abuse_case.unit_path


def test_counts_still_count_it(abuse_case, child) -> None:  # noqa: ANN001
    today = timezone.localdate()
    assert selectors.count_in_group_on(Child.objects.all(), code="l", on=today) == 1
    assert selectors.count_in_group_on(Child.objects.all(), code="any", on=today) == 1


# --- the child page -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "where", "superuser"), HIDDEN)
def test_the_child_page_hides_the_group_from_those_who_may_not_see_the_case(
    client, abuse_case, child, group_l, tree, make_user, role, where, superuser
) -> None:  # noqa: ANN001
    login(client, persona(make_user, tree, role, where, superuser))
    response = client.get(reverse("registry:child_detail", args=[child.pk]))
    if response.status_code != 200:
        assert response.status_code in (403, 404)
    else:
        assert abuse_case.code not in response.text
        assert group_l.name_vi not in response.text and group_l.name_en not in response.text
        assert not list(response.context["child"].circumstances.all())
        assert not [e for e in response.context["timeline"] if str(group_l) in e.subject]
    assert confidential_audits() == []


def test_the_child_page_shows_the_group_to_the_case_worker_and_audits_it(
    client, abuse_case, child, group_l, worker
) -> None:  # noqa: ANN001
    login(client, worker)
    response = client.get(reverse("registry:child_detail", args=[child.pk]))
    assert f"Vụ việc {abuse_case.code}" in response.text and group_l.name_vi in response.text
    assert [e for e in response.context["timeline"] if e.subject == str(group_l)]
    (event,) = confidential_audits()
    membership = child.circumstances.get(type=group_l)
    assert (event.actor, event.action, event.target_id) == (worker, "view", str(membership.pk))
    assert event.extra["cases"] == [abuse_case.pk] and event.unit_path == child.unit_path
    assert group_l.name_vi not in event.summary and abuse_case.code not in event.summary  # auditors read it


@pytest.mark.parametrize(("role", "where"), SEEING)
def test_those_who_see_the_case_see_the_group(client, abuse_case, child, group_l, tree, make_user, role, where) -> None:  # noqa: ANN001
    login(client, make_user(role, getattr(tree, where)))
    response = client.get(reverse("registry:child_detail", args=[child.pk]))
    assert group_l.name_vi in response.text
    assert len(confidential_audits()) == 1


def test_the_group_is_hidden_from_everyone_when_no_provider_is_registered(
    client, abuse_case, child, group_l, worker, monkeypatch
) -> None:  # noqa: ANN001
    monkeypatch.setattr(confidential, "_providers", {})
    login(client, worker)
    response = client.get(reverse("registry:child_detail", args=[child.pk]))
    assert group_l.name_vi not in response.text and abuse_case.code not in response.text.split("child-cases")[0]
    assert confidential_audits() == []


def test_the_timeline_without_a_user_leaves_it_out(abuse_case, child, group_l, worker) -> None:  # noqa: ANN001
    assert not [e for e in selectors.child_timeline(child) if e.subject == str(group_l)]
    assert [e for e in selectors.child_timeline(child, user=worker) if e.subject == str(group_l)]


def test_the_collaborator_cannot_reach_it_to_end_it(client, abuse_case, child, group_l, tree, make_user) -> None:  # noqa: ANN001
    membership = child.circumstances.get(type=group_l)
    login(client, make_user(roles.VILLAGE_COLLABORATOR, tree.village))
    assert client.get(reverse("registry:circumstance_end", args=[membership.pk])).status_code == 404


# --- the child list and its filters ---------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "where", "superuser"), HIDDEN)
def test_the_list_never_finds_the_child_by_the_group(
    client, abuse_case, child, tree, make_user, role, where, superuser
) -> None:  # noqa: ANN001
    user = persona(make_user, tree, role, where, superuser)
    login(client, user)
    for group in ("l", "any"):
        response = client.get(reverse("registry:child_list"), {"group": group})
        if response.status_code != 200:
            assert response.status_code in (403, 404)
            return
        assert child.full_name not in response.text
    in_scope = selectors.children_for_user(user).filter(pk=child.pk).exists()
    assert client.get(reverse("registry:child_list")).context["page"].paginator.count == int(in_scope)
    # Who works on no case at all is not even offered the case-derived groups as a filter.
    case_role = any(user.has_capability(c) for c in ("cases.view", "cases.approve", "cases.supervise"))
    assert ("l" in {g.code for g in response.context["groups"]}) is case_role
    assert ('value="l"' in response.text) is case_role


def test_the_case_worker_finds_the_child_by_the_group(client, abuse_case, child, worker) -> None:  # noqa: ANN001
    login(client, worker)
    response = client.get(reverse("registry:child_list"), {"group": "l"})
    assert child.full_name in response.text
    assert 'value="l"' in response.text


# --- exports and books ----------------------------------------------------------------------------------------

EXPORTERS = [(roles.COMMUNE_OFFICER, "commune", False), (roles.SYSTEM_ADMIN, "nation", True)]
BOOK_READERS = [
    (roles.VILLAGE_COLLABORATOR, "village", False),
    (roles.COMMUNE_OFFICER, "commune", False),
    (roles.CASE_WORKER, "commune", False),
    (roles.SYSTEM_ADMIN, "nation", True),
]


@pytest.mark.parametrize(("role", "where", "superuser"), EXPORTERS)
def test_the_list_workbook_leaves_the_group_out(
    client, abuse_case, child, tree, make_user, role, where, superuser
) -> None:  # noqa: ANN001
    login(client, persona(make_user, tree, role, where, superuser))
    url = reverse("registry:child_list_xlsx")
    assert sheet_rows(client.get(url, {"group": "l"})) == []
    (row,) = sheet_rows(client.get(url))
    assert row["Họ và tên"] == child.full_name and not row[GROUP]
    assert confidential_audits() == []


def test_the_list_workbook_of_the_case_worker_has_it_and_is_audited(client, abuse_case, child, worker) -> None:  # noqa: ANN001
    login(client, worker)
    (row,) = sheet_rows(client.get(reverse("registry:child_list_xlsx"), {"group": "l"}))
    assert row[GROUP] == "l. Trẻ em bị xâm hại tình dục"
    (event,) = confidential_audits()
    assert event.action == "export" and event.extra["cases"] == [abuse_case.pk]


@pytest.mark.parametrize(("role", "where", "superuser"), BOOK_READERS)
def test_the_books_and_the_household_page_leave_the_group_out(
    client, abuse_case, child, tree, make_user, role, where, superuser
) -> None:  # noqa: ANN001
    login(client, persona(make_user, tree, role, where, superuser))
    (row,) = sheet_rows(client.get(reverse("registry:village_book_xlsx", args=[tree.village.pk])))
    assert row["Họ và tên"] == child.full_name and not row[GROUP]
    pdf = client.get(reverse("registry:village_book_pdf", args=[tree.village.pk]))
    assert pdf.status_code == 200
    [(printed,)] = [list(s.children) for s in pdf.context["book"].sections]
    assert printed.full_name == child.full_name and printed.special_groups == ""
    page = client.get(reverse("registry:household_detail", args=[child.household_id]))
    assert [list(c.circumstances.all()) for c in page.context["household"].children.all()] == [[]]
    assert abuse_case.code not in page.text
    assert confidential_audits() == []


def test_the_books_of_the_case_worker_have_it_and_are_audited(client, abuse_case, child, tree, worker) -> None:  # noqa: ANN001
    login(client, worker)
    (row,) = sheet_rows(client.get(reverse("registry:village_book_xlsx", args=[tree.village.pk])))
    assert row[GROUP] == "l. Trẻ em bị xâm hại tình dục"
    pdf = client.get(reverse("registry:village_book_pdf", args=[tree.village.pk]))
    assert [r.special_groups for s in pdf.context["book"].sections for r in s.children] == ["l"]
    page = client.get(reverse("registry:household_detail", args=[child.household_id]))
    assert [c.type.code for c in page.context["household"].children.all()[0].circumstances.all()] == ["l"]
    assert [e.action for e in confidential_audits()] == ["export", "print", "view"]


# --- a row in an abuse-related group that names no case -------------------------------------------------------


def test_a_group_typed_in_by_hand_is_seen_by_the_chairman_and_supervisors_only(
    child, officer, tree, make_user, group_l
) -> None:  # noqa: ANN001
    registry.circumstance_add(actor=officer, child=child, type=group_l, valid_from=dt.date(2025, 1, 1))
    assert Circumstance.objects.get(child=child, type=group_l).confidential

    def sees(user) -> bool:  # noqa: ANN001
        return selectors.visible_circumstances(user).filter(child=child, type=group_l).exists()

    assert sees(make_user(roles.COMMUNE_CHAIRMAN, tree.commune))
    assert sees(make_user(roles.PROVINCE_SPECIALIST, tree.province))
    assert not sees(officer)
    assert not sees(make_user(roles.VILLAGE_COLLABORATOR, tree.village))
    assert not sees(make_user(roles.SYSTEM_ADMIN, tree.nation, is_superuser=True))
    assert not sees(make_user(roles.PROVINCE_SPECIALIST, tree.other_province))


def test_the_registry_form_does_not_offer_the_case_derived_groups(client, child, officer, group_l) -> None:  # noqa: ANN001
    login(client, officer)
    url = reverse("registry:circumstance_add", args=[child.pk])
    offered = client.get(url).context["form"].fields["type"].queryset
    assert group_l not in offered and offered.filter(code="d").exists()
    client.post(url, {"type": group_l.pk, "valid_from": "01/01/2025"})
    assert not child.circumstances.exists()


# --- rows recorded before the flags -----------------------------------------------------------------------------


def test_the_migrations_flag_and_link_rows_recorded_before(abuse_case, child, group_l) -> None:  # noqa: ANN001
    import importlib

    from django.apps import apps

    membership = child.circumstances.get(type=group_l)
    legacy = {"confidential": False, "source_case_id": None, "source_unit_path": ""}
    Circumstance.objects.filter(pk=membership.pk).update(**legacy)
    Circumstance.history.filter(id=membership.pk).update(**legacy)
    CircumstanceType.objects.filter(pk=group_l.pk).update(confidential=False)

    importlib.import_module("treem.registry.migrations.0007_flag_confidential_groups").flag(apps, None)
    importlib.import_module("treem.cases.migrations.0003_link_case_derived_circumstances").link(apps, None)

    assert CircumstanceType.objects.get(pk=group_l.pk).confidential
    membership.refresh_from_db()
    assert (membership.confidential, membership.source_case_id, membership.source_unit_path) == (
        True, abuse_case.pk, abuse_case.unit_path,
    )  # fmt: skip
    assert set(Circumstance.history.filter(id=membership.pk).values_list("source_case_id", flat=True)) == {
        abuse_case.pk
    }
