"""The dashboard and the case file show the clocks: "due soon" before the limit (NĐ 56 Art. 31.2), and the
alternative-care follow-ups of closed cases (NĐ 56 Art. 43.2)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from treem.cases import services
from treem.cases.models import Status

pytestmark = pytest.mark.django_db


def test_dashboard_shows_due_soon_before_the_12_hours_art_31_2(client, worker, tree, child) -> None:  # noqa: ANN001
    """NĐ 56 Art. 31.2: nine hours after intake (past the 8-hour warning) the emergency shows as due soon."""
    nine_hours_ago = timezone.now() - dt.timedelta(hours=9)
    case = services.case_open(
        actor=worker, commune=tree.commune, intake_at=nine_hours_ago, channel="police", category="abused",
        description="Bị cha đánh", child=child, abuse_forms=["violence"], abuser_relation="parent",
    )  # fmt: skip
    client.force_login(worker)
    text = client.get(reverse("cases:dashboard")).text
    assert 'data-testid="due-soon"' in text and case.code in text
    assert 'data-testid="due-soon"' in client.get(reverse("cases:detail", args=[case.pk])).text


def test_dashboard_keeps_the_follow_ups_of_a_closed_case_art_43_2(client, worker, chairman, tree, child) -> None:  # noqa: ANN001
    """NĐ 56 Art. 43.2: the placement's follow-ups are due whatever becomes of the case; the dashboard lists them."""
    intake = timezone.now() - dt.timedelta(days=40)
    case = services.case_open(
        actor=worker, commune=tree.commune, intake_at=intake, channel="commune", category="special",
        description="Mồ côi cả cha và mẹ", child=child,
    )  # fmt: skip
    services.case_add_event(actor=worker, case=case, kind="placement", at=intake + dt.timedelta(hours=3))
    day = intake + dt.timedelta(days=1)
    services.case_transition(actor=worker, case=case, to=Status.VERIFICATION, at=day - dt.timedelta(hours=2))
    services.case_transition(
        actor=worker, case=case, to=Status.CLOSURE_PROPOSED, at=day - dt.timedelta(hours=1), data={"reason": "x"}
    )
    services.case_transition(actor=chairman, case=case, to=Status.CLOSED, at=day)  # NĐ 56 Art. 30.1c
    client.force_login(worker)
    text = client.get(reverse("cases:dashboard")).text
    assert case.code in text and "Đánh giá chăm sóc thay thế sau 01 tháng" in text
    detail = client.get(reverse("cases:detail", args=[case.pk])).text
    assert 'data-testid="clock-placement_1m"' in detail and "not met" not in detail and "chưa đạt" not in detail
