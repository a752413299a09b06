"""The dashboard's "report completeness of the current cycle" panel, registered by `reporting` in its ready():
the counts of `treem reports status` for the dashboard's unit, only for those who may see reports, in scope, in a
bounded number of queries."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from treem.accounts import roles
from treem.core.panels import DASHBOARD, panels_for
from treem.core.periods import Period
from treem.reporting import services
from treem.reporting.dashboard import completeness_panel
from treem.reporting.selectors import current_cycle

pytestmark = pytest.mark.django_db
PERIOD = Period.parse("2025S2")


def _page(user, unit) -> str:  # noqa: ANN001
    c = Client()
    c.force_login(user)
    r = c.get(reverse("dashboards:unit", args=[unit.code]), {"period": "2025S2"})
    assert r.status_code == 200
    return r.content.decode()


def _count(html: str, name: str) -> int:
    return int(re.search(rf'data-testid="reports-{name}">(\d+)<', html)[1])


def _request(user):  # noqa: ANN001, ANN202
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_the_province_dashboard_shows_the_cycles_completeness(tree, cycle, progress, province_officer) -> None:  # noqa: ANN001
    html = _page(province_officer, tree.province)
    assert 'data-testid="reports-panel"' in html
    # the same counts as `treem reports status`: total 3 submitted 2 approved 1 late 1 missing 1
    assert [_count(html, n) for n in ("total", "submitted", "approved", "late", "missing")] == [3, 2, 1, 1, 1]
    assert f"{reverse('reporting:cycle', args=[cycle.pk])}?unit={tree.province.pk}" in html
    assert cycle.code in html


def test_no_panel_without_the_right_to_see_reports(tree, cycle, progress, make_user) -> None:  # noqa: ANN001
    central = make_user(roles.CENTRAL_VIEWER, tree.nation)  # figures, no reports
    for unit in (tree.nation, tree.province):
        assert 'data-testid="reports-panel"' not in _page(central, unit)
        assert completeness_panel(_request(central), unit, PERIOD) is None


def test_the_panel_respects_scope(tree, cycle, progress, officer, province_officer) -> None:  # noqa: ANN001
    # the commune officer may see reports, but the province is not in the officer's scope
    assert completeness_panel(_request(officer), tree.province, PERIOD) is None
    # a commune's villages do not report: no cycle, no panel (and none on the page)
    assert completeness_panel(_request(province_officer), tree.commune, PERIOD) is None
    assert 'data-testid="reports-panel"' not in _page(province_officer, tree.commune)


def test_the_current_cycle_is_the_latest_open_one(tree, report_types, cycle) -> None:  # noqa: ANN001
    older = services.open_cycle(report_type=report_types["annual"], period="2024")
    assert current_cycle(tree.province) == cycle
    newer = services.open_cycle(report_type=report_types["six_month"], period="2025S2")
    assert current_cycle(tree.province) == newer
    newer.is_open = False
    newer.save(update_fields=["is_open"])
    assert current_cycle(tree.province) == cycle
    assert older != cycle


def test_the_panel_costs_a_bounded_number_of_queries(
    tree, cycle, progress, province_officer, report_types, django_assert_max_num_queries
) -> None:  # noqa: ANN001
    from treem.units.models import Level
    from treem.units.tests.factories import make_unit

    request = _request(province_officer)
    completeness_panel(request, tree.province, PERIOD)  # the user's role and unit loaded once
    with CaptureQueriesContext(connection) as few:
        assert panels_for(DASHBOARD, request, tree.province, PERIOD)
    for i in range(5):  # more sub-units, more cycles: not more queries
        make_unit(tree.province, Level.COMMUNE, f"0350{i}", f"Xã Thử {i}", "Xã")
    services.open_cycle(report_type=report_types["annual"], period="2024")
    services.open_cycle(report_type=report_types["quarterly"], period="2025Q1")
    with django_assert_max_num_queries(len(few)):
        panel = completeness_panel(request, tree.province, PERIOD)
    assert panel.context["totals"].total == 8
    assert len(few) <= 4, [q["sql"] for q in few]
    assert dt.date(2025, 5, 10) == panel.context["deadline"]
