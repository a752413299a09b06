"""The audit log page: only for `audit.view`, scoped to the auditor's unit, filtered, paginated, never audited again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from treem.accounts import roles
from treem.accounts.tests.helpers import login
from treem.audit.models import AuditEvent
from treem.audit.services import audit_record
from treem.audit.views import PAGE_SIZE
from treem.cases import services
from treem.core.dates import today_vn
from treem.registry import services as registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor(tree, make_user):  # noqa: ANN001, ANN201
    return make_user(roles.AUDITOR, tree.province)


@pytest.fixture
def events(tree, make_user):  # noqa: ANN001, ANN201
    """A read in the commune, a print in the sibling commune, an export in the other province."""
    worker = make_user(roles.COMMUNE_OFFICER, tree.commune, first_name="Lan", last_name="Vàng Thị")
    other = make_user(roles.COMMUNE_OFFICER, tree.far_commune, first_name="Minh", last_name="Trần")
    return [
        audit_record(actor=worker, action="view", target_type="case", target_id=11, unit_path=tree.commune.path,
                     summary="Xem hồ sơ 03430-2026-0001"),
        audit_record(actor=worker, action="print", target_type="case", target_id=12, unit_path=tree.sibling.path,
                     summary="In Mẫu số 04"),
        audit_record(actor=other, action="export", target_type="case", target_id=13,
                     unit_path=tree.far_commune.path, summary="Xuất PDF Mẫu số 01"),
    ]  # fmt: skip


def shown(response) -> list[str]:  # noqa: ANN001
    return [e.target_id for e in response.context["page"].object_list]


def test_it_requires_the_audit_capability(client, tree, make_user) -> None:  # noqa: ANN001
    people = [(roles.COMMUNE_OFFICER, tree.commune), (roles.PROVINCE_SPECIALIST, tree.province),
              (roles.COMMUNE_CHAIRMAN, tree.commune), (roles.VILLAGE_COLLABORATOR, tree.village)]  # fmt: skip
    for role, where in people:
        login(client, make_user(role, where))
        assert client.get(reverse("audit:search")).status_code == 403, role


def test_it_needs_a_login(client) -> None:  # noqa: ANN001
    response = client.get(reverse("audit:search"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_checks_scope(client, auditor, events, tree, make_user) -> None:  # noqa: ANN001
    login(client, auditor)
    response = client.get(reverse("audit:search"))
    assert response.status_code == 200
    assert shown(response) == ["12", "11"]  # newest first; nothing from the other province
    assert "Xem hồ sơ 03430-2026-0001" in response.text and "Xuất PDF" not in response.text
    login(client, make_user(roles.SYSTEM_ADMIN, tree.nation))
    assert set(shown(client.get(reverse("audit:search")))) == {"11", "12", "13"}


def test_the_menu_shows_the_log_to_auditors_only(client, auditor, tree, make_user) -> None:  # noqa: ANN001
    login(client, auditor)
    assert reverse("audit:search") in client.get(reverse("ui:home")).text
    login(client, make_user(roles.COMMUNE_OFFICER, tree.commune))
    assert reverse("audit:search") not in client.get(reverse("ui:home")).text


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"action": "print"}, ["12"]),
        ({"target_type": "case", "target_id": "11"}, ["11"]),
        ({"target_type": "child"}, []),
        ({"user": "Vàng Thị"}, ["12", "11"]),
        ({"user": "nobody"}, []),
    ],
)
def test_filters(client, auditor, events, params, expected) -> None:  # noqa: ANN001
    login(client, auditor)
    assert shown(client.get(reverse("audit:search"), params)) == expected


def test_date_range(client, auditor, events) -> None:  # noqa: ANN001
    AuditEvent.objects.filter(pk=events[0].pk).update(at=timezone.now() - dt.timedelta(days=10))
    login(client, auditor)
    today = today_vn().strftime("%d/%m/%Y")
    earlier = (today_vn() - dt.timedelta(days=10)).strftime("%d/%m/%Y")
    assert shown(client.get(reverse("audit:search"), {"start": today})) == ["12"]
    assert shown(client.get(reverse("audit:search"), {"start": earlier, "end": earlier})) == ["11"]
    response = client.get(reverse("audit:search"), {"start": today, "end": earlier})
    assert response.context["form"].errors["end"]


def test_pagination(client, auditor, tree) -> None:  # noqa: ANN001
    for n in range(PAGE_SIZE + 5):
        audit_record(actor=None, action="view", target_type="case", target_id=n, unit_path=tree.commune.path)
    login(client, auditor)
    first = client.get(reverse("audit:search"), {"action": "view"})
    assert len(shown(first)) == PAGE_SIZE and "page=2" in first.text and "action=view" in first.text
    assert len(shown(client.get(reverse("audit:search"), {"action": "view", "page": 2}))) == 5


def test_reading_the_log_is_not_audited_again(client, auditor, events) -> None:  # noqa: ANN001
    login(client, auditor)
    before = AuditEvent.objects.count()
    client.get(reverse("audit:search"))
    assert AuditEvent.objects.count() == before


def test_each_case_read_appears_with_user_time_and_address(client, auditor, tree, make_user) -> None:  # noqa: ANN001
    worker = make_user(roles.COMMUNE_OFFICER, tree.commune)
    household = registry.household_create(actor=worker, commune=tree.commune, head_name="Sùng A Páo")
    child = registry.child_register(
        actor=worker, household=household,
        data=registry.ChildInput(full_name="Sùng Thị Sua", sex="F", date_of_birth=dt.date(2013, 5, 2)),
    )  # fmt: skip
    case = services.case_open(
        actor=worker, commune=tree.commune, intake_at=timezone.now() - dt.timedelta(hours=1), channel="police",
        category="at_risk", description="x", child=child,
    )  # fmt: skip
    login(client, worker)
    client.get(reverse("cases:document", args=[case.pk, "01"]), {"format": "pdf"}, REMOTE_ADDR="10.9.8.7")
    login(client, auditor)
    response = client.get(reverse("audit:search"), {"target_type": "case", "target_id": str(case.pk)})
    actions = [e.action for e in response.context["page"].object_list]
    assert actions == ["export", "create"]
    assert "10.9.8.7" in response.text and case.code in response.text
