"""The demo's abuse cases with and without legal outcomes: one unresolved past N days, noticed once."""

from __future__ import annotations

import pytest

from treem.accounts import roles
from treem.cases.models import Case, LegalOutcome, Notification
from treem.cases.selectors import case_list
from treem.demo import outcomes as demo_outcomes
from treem.demo import registry
from treem.demo.units import DemoArea

pytestmark = pytest.mark.django_db


def test_abuse_cases_with_and_without_outcomes_once(tree, make_user, monkeypatch, settings) -> None:  # noqa: ANN001
    settings.TREEM_UNRESOLVED_ABUSE_DAYS = 90
    demo = [DemoArea(tree.province, [tree.commune, tree.sibling]), DemoArea(tree.other_province, [tree.far_commune])]
    monkeypatch.setattr(registry, "demo_areas", lambda: demo)
    officer = make_user(roles.COMMUNE_OFFICER, tree.commune, username="canbo.khunha")
    worker = make_user(roles.CASE_WORKER, tree.commune, username="ctxh.khunha")
    registry.seed_registry(children=200, actor=officer)
    assert demo_outcomes.seed_outcomes(commune=tree.commune) == 4
    assert Case.objects.count() == 4 and LegalOutcome.objects.count() == 4
    unresolved = case_list(worker, unresolved=True)
    assert [c.helpline_ref for c in unresolved] == ["111-2026-0533"]
    assert Notification.objects.filter(kind="unresolved", recipient=worker, case=unresolved[0]).count() == 1
    assert demo_outcomes.seed_outcomes(commune=tree.commune) == 0 and Case.objects.count() == 4
