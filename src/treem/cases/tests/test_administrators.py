"""Administration is not case work: the administrator (system-admin role, superuser: the demo's `quantri`) manages
users, units and settings and sees no case content, is never offered for assignment, and keeps the Django admin.
A superuser who is also given a case role in a unit works on that unit's cases like anyone, audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from treem.accounts import capabilities as cap
from treem.accounts import roles
from treem.accounts.tests.helpers import login
from treem.audit.models import AuditEvent
from treem.cases import services
from treem.cases.access import cases_for_user
from treem.cases.selectors import case_get

pytestmark = pytest.mark.django_db


@pytest.fixture
def quantri(tree, make_user):  # noqa: ANN001, ANN201
    """As the demo makes it: the system-admin role, superuser and staff, working for the nation."""
    return make_user(roles.SYSTEM_ADMIN, tree.nation, is_superuser=True, is_staff=True)


@pytest.fixture
def root_admin(make_user):  # noqa: ANN001, ANN201
    """A superuser without a unit (unrestricted scope), as `createsuperuser` makes one."""
    return make_user(roles.SYSTEM_ADMIN, None, is_superuser=True, is_staff=True)


def test_a_superuser_has_every_capability_but_case_work(quantri) -> None:  # noqa: ANN001
    for capability in cap.CASE_WORK:
        assert not quantri.has_capability(capability), capability
    for capability in (cap.USERS_MANAGE, cap.UNITS_MANAGE_VILLAGES, cap.AUDIT_VIEW, cap.REGISTRY_VIEW):
        assert quantri.has_capability(capability), capability
    assert cap.CASES_VIEW in cap.CASE_WORK and cap.PLANS_APPROVE in cap.CASE_WORK


@pytest.mark.parametrize("who", ["quantri", "root_admin"])
def test_the_administrator_sees_no_case(client, case, who, request) -> None:  # noqa: ANN001
    admin = request.getfixturevalue(who)
    assert not cases_for_user(admin).exists()
    with pytest.raises(Http404):
        case_get(admin, case.pk)
    login(client, admin)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert client.get(reverse("cases:document", args=[case.pk, "01"])).status_code == 404
    dashboard = client.get(reverse("cases:dashboard"))
    assert case.code not in dashboard.text
    child_page = client.get(reverse("registry:child_detail", args=[case.child_id]))
    assert child_page.status_code == 200 and case.code not in child_page.text
    assert not AuditEvent.objects.filter(actor=admin, target_type="case").exists()


def test_the_administrator_keeps_the_django_admin(client, quantri) -> None:  # noqa: ANN001
    login(client, quantri)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200


def test_the_assignment_form_never_offers_an_administrator(client, case, chairman, quantri, tree, make_user) -> None:  # noqa: ANN001
    commune_admin = make_user(roles.SYSTEM_ADMIN, tree.commune, is_superuser=True, is_staff=True)
    login(client, chairman)
    choices = client.get(reverse("cases:detail", args=[case.pk])).context["assign_form"].fields["worker"].queryset
    assert quantri not in choices and commune_admin not in choices
    client.post(reverse("cases:assign", args=[case.pk]), {"worker": commune_admin.pk})
    assert not case.workers.filter(pk=commune_admin.pk).exists()
    with pytest.raises(ValidationError):
        services.case_assign(actor=chairman, case=case, worker=quantri)
    assert not case.workers.filter(pk=quantri.pk).exists()


def test_a_superuser_with_a_case_role_works_on_the_cases_of_that_unit_audited(
    client, case, chairman, tree, make_user
) -> None:  # noqa: ANN001
    both = make_user(roles.CASE_WORKER, tree.commune, is_superuser=True, is_staff=True)
    login(client, both)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404  # not assigned yet
    login(client, chairman)
    choices = client.get(reverse("cases:detail", args=[case.pk])).context["assign_form"].fields["worker"].queryset
    assert both in choices
    services.case_assign(actor=chairman, case=case, worker=both)
    login(client, both)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    assert AuditEvent.objects.filter(actor=both, target_type="case", action="view").exists()


def test_a_superuser_without_a_unit_sees_only_the_cases_assigned_to_it(case, make_user) -> None:  # noqa: ANN001
    unplaced = make_user(roles.CASE_WORKER, None, is_superuser=True)
    assert not cases_for_user(unplaced).exists()
    case.workers.add(unplaced)
    assert list(cases_for_user(unplaced)) == [case]
