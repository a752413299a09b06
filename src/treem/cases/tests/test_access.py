"""Confidentiality: who sees a case (role × relation to the case), and every read audited."""

from __future__ import annotations

import pytest
from django.http import Http404

from treem.accounts import roles
from treem.audit.models import AuditEvent
from treem.cases.access import cases_for_user
from treem.cases.selectors import case_get, case_list, visible_case_ids_for_children

pytestmark = pytest.mark.django_db

# (role, where, sees the case?)
MATRIX = [
    (roles.COMMUNE_OFFICER, "commune", False),  # in the commune but not assigned
    (roles.CASE_WORKER, "commune", False),
    (roles.COMMUNE_CHAIRMAN, "commune", True),
    (roles.COMMUNE_VICE_CHAIRMAN, "commune", False),  # only under a delegation (test_decisions)
    (roles.VILLAGE_COLLABORATOR, "village", False),
    (roles.AGENCY_REPORTER, "province", False),
    (roles.CENTRAL_VIEWER, "nation", False),
    (roles.AUDITOR, "province", False),
    (roles.PROVINCE_SPECIALIST, "province", True),  # supervisor up the chain
    (roles.PROVINCE_SPECIALIST, "other_province", False),
    (roles.COMMUNE_CHAIRMAN, "sibling", False),
    (roles.COMMUNE_OFFICER, "sibling", False),
]


@pytest.mark.parametrize(("role", "where", "sees"), MATRIX)
def test_confidentiality_matrix(case, tree, make_user, role: str, where: str, sees: bool) -> None:  # noqa: ANN001
    user = make_user(role, getattr(tree, where))
    assert cases_for_user(user).filter(pk=case.pk).exists() is sees
    if sees:
        assert case_get(user, case.pk).pk == case.pk
    else:
        with pytest.raises(Http404):
            case_get(user, case.pk)
    assert bool(visible_case_ids_for_children(user, [case.child_id])) is sees


def test_the_assigned_worker_sees_it(case, worker) -> None:  # noqa: ANN001
    assert case_get(worker, case.pk) == case


def test_every_read_is_audited(case, worker) -> None:  # noqa: ANN001
    before = AuditEvent.objects.count()
    case_get(worker, case.pk)
    case_list(worker)
    events = list(AuditEvent.objects.order_by("pk")[before:])
    assert [e.action for e in events] == ["view", "list"]
    assert events[0].actor == worker and events[0].target_id == str(case.pk)
    assert str(case.pk) in events[1].target_id


def test_audit_is_append_only(case, worker) -> None:  # noqa: ANN001
    from treem.audit.models import AppendOnlyError

    event = AuditEvent.objects.first()
    event.summary = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
