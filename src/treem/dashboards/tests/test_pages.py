"""The dashboard pages: scope (out of scope is 404), the case panel only for case roles, panels of other apps."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.template import Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from treem.accounts import roles
from treem.cases.access import cases_for_user
from treem.cases.selectors import clock_filter
from treem.core.panels import DASHBOARD, Panel, register_panel, unregister_panel

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # noqa: ANN001
    c = Client()
    c.force_login(user)
    return c


def test_every_level_opens_the_same_page(tree, figures, central) -> None:  # noqa: ANN001
    c = _client(central)
    for unit in (tree.nation, tree.province, tree.commune, tree.village):
        r = c.get(reverse("dashboards:unit", args=[unit.code]), {"period": "2025S2"})
        assert r.status_code == 200, unit
        html = r.content.decode()
        assert unit.name in html
        assert 'id="dashboard-data" type="application/json"' in html
        assert "<script>" not in html  # no inline script: data as JSON, drawing in a static file


def test_drill_down_links_lead_to_the_sub_units(tree, figures, central) -> None:  # noqa: ANN001
    html = _client(central).get(reverse("dashboards:unit", args=[tree.province.code]), {"period": "2025S2"}).content
    text = html.decode()
    assert reverse("dashboards:unit", args=[tree.commune.code]) in text
    assert reverse("dashboards:unit", args=[tree.sibling.code]) in text


def test_start_opens_the_users_own_unit(tree, officer) -> None:  # noqa: ANN001
    r = _client(officer).get(reverse("dashboards:start"))
    assert r.status_code == 302
    assert r["Location"] == reverse("dashboards:unit", args=[tree.commune.code])


def test_out_of_scope_units_answer_404(tree, officer, sibling_officer) -> None:  # noqa: ANN001
    c = _client(officer)
    assert c.get(reverse("dashboards:unit", args=[tree.commune.code])).status_code == 200
    assert c.get(reverse("dashboards:unit", args=[tree.village.code])).status_code == 200
    for unit in (tree.sibling, tree.province, tree.far_commune, tree.nation):
        assert c.get(reverse("dashboards:unit", args=[unit.code])).status_code == 404, unit
    assert c.get(reverse("dashboards:unit", args=["no-such-unit"])).status_code == 404
    assert _client(sibling_officer).get(reverse("dashboards:unit", args=[tree.commune.code])).status_code == 404


def test_roles_without_figures_are_refused(tree, make_user) -> None:  # noqa: ANN001
    collaborator = make_user(roles.VILLAGE_COLLABORATOR, tree.village)
    assert _client(collaborator).get(reverse("dashboards:unit", args=[tree.village.code])).status_code == 403


def test_the_case_panel_is_only_for_roles_that_see_cases(tree, figures, officer, central) -> None:  # noqa: ANN001
    from treem.cases import services as case_services
    from treem.cases.models import Category, Channel, ClockRule, Deadline

    case = case_services.case_open(
        actor=officer, commune=tree.commune, intake_at=timezone.now() - dt.timedelta(days=30),
        channel=Channel.COMMUNITY, category=Category.AT_RISK, description="Synthetic", child=figures[0],
    )  # fmt: skip
    now = timezone.now()
    for days in (2, 5):  # two clocks of the case ran out (the case counts once), a third runs
        Deadline.objects.create(case=case, rule=ClockRule.objects.first(), started_at=now - dt.timedelta(days=9),
                                due_at=now - dt.timedelta(days=days))  # fmt: skip
    rule = ClockRule.objects.first()
    Deadline.objects.create(case=case, rule=rule, started_at=now, due_at=now + dt.timedelta(days=3))
    url = reverse("dashboards:unit", args=[tree.commune.code])
    officer_page = _client(officer).get(url, {"period": "2025S2"}).content.decode()
    assert 'data-testid="cases-panel"' in officer_page
    assert re.search(r'data-testid="cases-open">1<', officer_page)
    # the overdue clocks: the same count as the case list's filter
    overdue = cases_for_user(officer).filter(clock_filter("overdue")).count()
    assert overdue == 1
    assert re.search(rf'data-testid="cases-overdue">{overdue}<', officer_page)
    central_page = _client(central).get(url, {"period": "2025S2"}).content.decode()
    assert 'data-testid="cases-panel"' not in central_page
    assert reverse("cases:dashboard") not in central_page


def test_other_apps_add_panels(tree, officer) -> None:  # noqa: ANN001
    seen = []

    def completeness(request, unit, period):  # noqa: ANN001, ANN202
        seen.append((unit.pk, str(period)))
        return Panel(Template("<p>{{ panel.text }}</p>"), {"text": f"Panel for {unit.code}"}, title="Completeness")

    register_panel(DASHBOARD, completeness)
    register_panel(DASHBOARD, completeness)  # once, however often ready() runs
    try:
        page = _client(officer).get(reverse("dashboards:unit", args=[tree.commune.code]), {"period": "2025S2"})
    finally:
        unregister_panel(DASHBOARD, completeness)
    assert seen == [(tree.commune.pk, "2025S2")]
    assert "Panel for 03430" in page.content.decode()


def test_every_chart_on_the_page_has_its_spec(tree, figures, officer) -> None:  # noqa: ANN001
    from treem.cases import services as case_services
    from treem.cases.models import Category, Channel

    case_services.case_open(
        actor=officer, commune=tree.commune, intake_at=timezone.now(), channel=Channel.COMMUNITY,
        category=Category.ABUSED, description="Synthetic", child=figures[0], abuse_forms=["neglect"],
    )  # fmt: skip
    html = _client(officer).get(reverse("dashboards:unit", args=[tree.commune.code]), {"period": "2025S2"})
    text = html.content.decode()
    charts = set(re.findall(r'data-chart="([^"]+)"', text))
    data = json.loads(re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', text, re.S)[1])
    assert {"age_sex", "groups", "abuse_abuse_form", "abuse_setting", "cases", "ranked"} <= charts
    assert charts <= set(data), charts - set(data)


def test_the_map_has_no_tiles_unless_a_tile_server_is_set(tree, figures, central, settings) -> None:  # noqa: ANN001
    for unit, (lat, lon) in ((tree.commune, (22.35, 103.30)), (tree.sibling, (22.40, 103.45))):
        unit.latitude, unit.longitude = lat, lon
        unit.save(update_fields=["latitude", "longitude"])
    url = reverse("dashboards:unit", args=[tree.province.code])
    page = _client(central).get(url, {"period": "2025S2"}).content.decode()
    assert 'data-testid="map"' in page
    assert "data-tiles" not in page
    settings.TREEM_MAP_TILE_URL = "https://tiles.example.vn/{z}/{x}/{y}.png"
    settings.TREEM_MAP_TILE_ATTRIBUTION = "© Sở Tài nguyên"
    page = _client(central).get(url, {"period": "2025S2"}).content.decode()
    assert 'data-tiles="https://tiles.example.vn/{z}/{x}/{y}.png"' in page
    assert "© Sở Tài nguyên" in page
    data = json.loads(re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', page, re.S)[1])
    assert {p["name"] for p in data["map"]["points"]} == {tree.commune.name, tree.sibling.name}


def test_the_targets_page_hides_a_half_years_actual_as_the_dashboard_does(tree, figures, central) -> None:  # noqa: ANN001
    """The dashboard's target lines and the targets page read the same actual: hidden alike, whatever its period."""
    from treem.core.periods import Period
    from treem.dashboards import selectors
    from treem.indicators.models import DataValue

    DataValue.objects.filter(period="2025").delete()  # the year not computed yet: the second half stands in
    board = selectors.dashboard(user=central, unit=tree.commune, period=Period.parse("2025S2"))
    on_board = {t.row.indicator.code: t.actual for t in board.targets}
    assert on_board["children_special_share"] in ("<5", "x")
    page = _client(central).get(reverse("indicators:targets", args=[tree.commune.pk]), {"year": "2025"})
    on_page = {r["row"].indicator.code: r["actual"] for r in page.context["rows"]}
    assert on_page["children_special_share"] == on_board["children_special_share"]
