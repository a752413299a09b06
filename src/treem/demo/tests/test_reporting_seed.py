"""The demo's 6-month cycle in progress: approved (one late), submitted, Khun Há returned with a comment, missing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from treem.accounts import roles
from treem.demo.reporting import RETURN_COMMENT, seed_reporting
from treem.reporting.definitions import sync
from treem.reporting.models import Cycle, Report, Status
from treem.reporting.selectors import completeness
from treem.units.models import Level
from treem.units.tests.factories import make_unit

pytestmark = pytest.mark.django_db


def test_the_demo_cycle_is_in_progress_and_the_completeness_page_shows_it(tree, officer, make_user) -> None:  # noqa: ANN001
    sync()
    for i in range(10):
        make_unit(tree.province, Level.COMMUNE, f"039{i:02d}", f"Xã Mẫu {i}", "Xã")
    reviewer = make_user(roles.PROVINCE_SPECIALIST, tree.province)

    stats = seed_reporting(province=tree.province, commune=tree.commune, officer=officer, reviewer=reviewer)

    cycle = Cycle.objects.get(code=stats.cycle)
    data = completeness(cycle, tree.province)
    t = data.totals
    assert (t.total, t.submitted, t.approved, t.late, t.missing) == (12, 9, 5, 1, 3)
    khun_ha = Report.objects.get(cycle=cycle, unit=tree.commune)
    assert khun_ha.status == Status.RETURNED and khun_ha.review_comment == RETURN_COMMENT
    again = seed_reporting(province=tree.province, commune=tree.commune, officer=officer, reviewer=reviewer)
    assert again.approved == 0 and Report.objects.filter(cycle=cycle).count() == 9  # once

    client = Client()
    client.force_login(reviewer)
    page = client.get(reverse("reporting:cycle", args=[cycle.pk]))
    assert page.status_code == 200 and 'data-testid="chart"' in page.content.decode()
