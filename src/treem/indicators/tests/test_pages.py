"""The indicator table page: scope, drill-down, breakdowns, the compute button, small-cell suppression and its audit."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from treem.accounts import roles
from treem.accounts.tests.helpers import login
from treem.audit.models import AuditEvent
from treem.core.periods import Period
from treem.indicators import services
from treem.indicators.models import DataValue, Dimension, Indicator
from treem.indicators.publish import relations, values_for
from treem.indicators.suppression import recover
from treem.registry import services as registry

pytestmark = pytest.mark.django_db

Y2025 = Period.parse("2025")
URL = "/indicators/"
SMALL = {"1", "2", "3", "4"}


# --- a commune with enough children for large and small cells ------------------------------------------------

# (where, sex, age on 31/12/2025, how many). Khun Há by hand:
#   Hon: F 0-5 6, M 0-5 5, F 6-10 7, M 11-15 2  → 20 (F 13, M 7; 0-5 11, 6-10 7, 11-15 2)
#   Lầm: F 0-5 6, M 6-10 1                      →  7 (F 6, M 1; 0-5 6, 6-10 1)
#   commune: 27; F 19, M 8; 0-5 17, 6-10 8, 11-15 2; F 0-5 12, F 6-10 7, M 0-5 5, M 6-10 1, M 11-15 2
#   Bình Lư (no village): F 6-10 5, M 0-5 3    →  8
#   ethnicity: the Hon boys 11-15 and the Lầm girls are Mông (Hon: Mông 2, unknown 18; Lầm: Mông 6, unknown 1)
CROWD = [
    ("village", "F", 3, 6, ""), ("village", "M", 2, 5, ""), ("village", "F", 8, 7, ""), ("village", "M", 13, 2, "Mông"),
    ("sibling_village", "F", 4, 6, "Mông"), ("sibling_village", "M", 7, 1, ""),
    ("sibling", "F", 9, 5, ""), ("sibling", "M", 1, 3, ""),
]  # fmt: skip


@pytest.fixture
def crowd(tree, editor):  # noqa: ANN001, ANN201
    for where, sex, age, n, ethnicity in CROWD:
        place = getattr(tree, where)
        commune, village = (place, None) if place.level == "commune" else (place.parent, place)
        household = registry.household_create(actor=editor, commune=commune, village=village, head_name="Chủ hộ")
        for i in range(n):
            registry.child_register(
                actor=editor, household=household,
                data=registry.ChildInput(
                    full_name=f"Lò {sex} {age} {i}", sex=sex, date_of_birth=dt.date(2025 - age, 6, i + 1),
                    ethnicity=ethnicity,
                ),
            )  # fmt: skip
    services.compute(Y2025, [tree.province])
    return tree


class Cells(HTMLParser):
    """The figure cells of the page: (unit id, disaggregation) → (shown text, sub-line), and the chart's texts."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: dict[tuple[int, str], list[str]] = {}
        self.chart: list[str] = []
        self._cell: tuple[int, str] | None = None
        self._part = 0
        self._in_chart = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "td" and (a.get("data-testid") or "").startswith("cell-"):
            _, unit, key = (a["data-testid"] or "").split("-", 2)  # cell-<unit pk>-<disaggregation key>
            self._cell = (int(unit), key)
            self.cells[self._cell] = ["", ""]
            self._part = 0
        elif self._cell is not None and tag == "small":
            self._part = 1
        elif tag == "svg":
            self._in_chart += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._cell = None
        elif tag == "svg":
            self._in_chart -= 1

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self.cells[self._cell][self._part] += data.strip()
        elif self._in_chart and data.strip():
            self.chart.append(data.strip())


def parse(html: str) -> Cells:
    p = Cells()
    p.feed(html)
    return p


def shown(html: str) -> dict[tuple[int, str], str]:
    return {k: v[0] for k, v in parse(html).cells.items()}


def number(text: str) -> float:
    return float(text.replace(".", "").replace(",", "."))


# --- reading the table ----------------------------------------------------------------------------------------


def test_the_users_unit_and_its_sub_units_with_exact_figures_for_figures_exact(client, officer, crowd) -> None:  # noqa: ANN001
    login(client, officer)
    response = client.get(URL, {"indicator": "children", "period": "2025"})
    assert response.status_code == 200
    cells = shown(response.text)
    t = crowd
    assert cells[(t.commune.pk, "")] == "27"
    assert (cells[(t.commune.pk, "age_group=0-5;sex=F")], cells[(t.commune.pk, "sex=M")]) == ("12", "8")
    assert cells[(t.village.pk, "age_group=11-15;sex=M")] == "2"  # exact: small figures shown
    assert cells[(t.sibling_village.pk, "age_group=6-10;sex=M")] == "1"
    assert cells[(t.sibling_village.pk, "age_group=11-15;sex=M")] == "0"  # nothing stored: zero
    assert not any(unit == t.sibling.pk for unit, _ in cells)  # a commune shows its villages only
    # the chart of the sub-units, and the definition of what is counted
    chart = parse(response.text).chart
    assert "20" in chart and "7" in chart
    children = Indicator.objects.get(code="children")
    assert children.definition_vi in response.text and children.legal_basis in response.text
    assert children.agency in response.text
    assert 'style="' not in response.text and "<script>" not in response.text  # the CSP forbids them


def test_viewing_exact_figures_is_audited_and_suppressed_figures_are_not(client, officer, make_user, crowd) -> None:  # noqa: ANN001
    login(client, officer)
    client.get(URL, {"indicator": "children", "period": "2025"})
    event = AuditEvent.objects.get(target_type="indicator_table")
    assert (event.actor, event.target_id, event.unit_path) == (officer, "children", crowd.commune.path)
    assert event.extra["period"] == "2025" and event.extra["exact"] is True
    chairman = make_user(roles.COMMUNE_CHAIRMAN, crowd.commune)  # no figures.exact
    login(client, chairman)
    client.get(URL, {"indicator": "children", "period": "2025"})
    assert AuditEvent.objects.filter(target_type="indicator_table").count() == 1


def test_option_labels_follow_the_language(client, officer, crowd, settings) -> None:  # noqa: ANN001
    login(client, officer)
    text = client.get(URL, {"indicator": "children", "period": "2025"}).text
    assert "Nữ" in text and "0–5 tuổi" in text and "Female" not in text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = client.get(URL, {"indicator": "children", "period": "2025"}).text
    assert "Female" in text and "0–5 years" in text and "Child population (under 16)" in text


def test_breakdowns_are_chosen_one_at_a_time(client, officer, crowd) -> None:  # noqa: ANN001
    login(client, officer)
    by_sex_age = shown(client.get(URL, {"indicator": "children", "period": "2025", "by": "0"}).text)
    by_area = shown(client.get(URL, {"indicator": "children", "period": "2025", "by": "2"}).text)
    assert (crowd.commune.pk, "age_group=0-5;sex=F") in by_sex_age
    assert (crowd.commune.pk, "area=rural") not in by_sex_age
    assert by_area[(crowd.commune.pk, "area=rural")] == "27"
    assert not any("sex" in key for _unit, key in by_area)
    # an index the indicator does not have falls back to the first breakdown
    assert (crowd.commune.pk, "age_group=0-5;sex=F") in shown(
        client.get(URL, {"indicator": "children", "period": "2025", "by": "9"}).text
    )


def test_a_ratio_shows_its_numerator_and_denominator(client, officer, registry_data, tree) -> None:  # noqa: ANN001
    services.compute(Y2025, [tree.province])
    login(client, officer)
    cells = parse(client.get(URL, {"indicator": "children_special_share", "period": "2025"}).text).cells
    # Khun Há: 1 of 3 children in a special-circumstance group (see test_engine)
    value, parts = cells[(tree.commune.pk, "")]
    assert value == "33,33" and parts == "1/3"


def test_htmx_swaps_only_the_figures(client, officer, crowd) -> None:  # noqa: ANN001
    login(client, officer)
    response = client.get(URL, {"indicator": "children_special", "period": "2025"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text and 'id="figures"' not in response.text
    assert 'data-testid="figures-table"' in response.text


def test_nav_link_for_those_who_see_figures(client, officer, make_user, tree) -> None:  # noqa: ANN001
    login(client, officer)
    assert f'href="{reverse("indicators:table")}"' in client.get("/").text
    login(client, make_user(roles.CASE_WORKER, tree.commune))  # no figures.view
    assert f'href="{reverse("indicators:table")}"' not in client.get("/").text
    assert client.get(URL).status_code == 403


# --- scope and drill-down -------------------------------------------------------------------------------------


def test_out_of_scope_unit_is_404_and_default_is_the_users_unit(client, officer, sibling_officer, crowd) -> None:  # noqa: ANN001
    login(client, sibling_officer)
    assert client.get(URL, {"unit": crowd.commune.pk, "period": "2025"}).status_code == 404
    assert client.get(URL, {"unit": crowd.province.pk, "period": "2025"}).status_code == 404  # above: 404 too
    assert client.get(URL, {"unit": "x", "period": "2025"}).status_code == 404
    cells = shown(client.get(URL, {"period": "2025"}).text)
    assert cells[(crowd.sibling.pk, "")] == "8"
    assert client.get(URL, {"indicator": "no_such_indicator"}).status_code == 404


def test_drill_down_from_the_province_and_breadcrumb_back(client, viewer, crowd) -> None:  # noqa: ANN001
    login(client, viewer)
    text = client.get(URL, {"indicator": "children", "period": "2025"}).text
    cells = shown(text)
    assert (cells[(crowd.province.pk, "")], cells[(crowd.commune.pk, "")], cells[(crowd.sibling.pk, "")]) == (
        "35", "27", "8",
    )  # fmt: skip
    link = re.search(rf'<a href="([^"]*unit={crowd.commune.pk}[^"]*)"[^>]*>Xã Khun Há</a>', text)
    assert link, "the commune row links one level down"
    down = client.get(link.group(1).replace("&amp;", "&"))
    assert shown(down.text)[(crowd.village.pk, "")] == "20"
    crumbs = re.search(r'<nav class="crumbs"[^>]*>(.*?)</nav>', down.text, re.S)
    assert crumbs and "Tỉnh Lai Châu" in crumbs.group(1) and "Việt Nam" not in crumbs.group(1)  # not above scope


def test_periods_are_kept_apart_and_the_default_is_the_latest_stored(client, officer, crowd) -> None:  # noqa: ANN001
    services.compute(Period.parse("2011"), [crowd.province])  # before any of them was born
    login(client, officer)
    assert shown(client.get(URL, {"period": "2011"}).text)[(crowd.commune.pk, "")] == "0"
    assert shown(client.get(URL).text)[(crowd.commune.pk, "")] == "27"  # 2025: the latest stored
    assert shown(client.get(URL, {"period": "not a period"}).text)[(crowd.commune.pk, "")] == "27"


# --- nothing stored yet: say so, offer to compute (POST only) ----------------------------------------------------


def test_no_values_says_so_and_get_never_computes(client, officer, make_user, tree, registry_data) -> None:  # noqa: ANN001
    login(client, officer)
    text = client.get(URL, {"indicator": "children", "period": "2025"}).text
    assert 'data-testid="no-values"' in text
    assert f'action="{reverse("indicators:compute")}"' in text
    assert not DataValue.objects.exists()
    assert client.get(reverse("indicators:compute"), {"unit": tree.commune.pk, "period": "2025"}).status_code == 405
    login(client, make_user(roles.COMMUNE_CHAIRMAN, tree.commune))  # sees figures, enters none
    text = client.get(URL, {"indicator": "children", "period": "2025"}).text
    assert 'data-testid="no-values"' in text and reverse("indicators:compute") not in text


def test_compute_now_computes_the_unit_and_returns_to_the_table(client, officer, tree, registry_data) -> None:  # noqa: ANN001
    login(client, officer)
    response = client.post(
        reverse("indicators:compute"), {"unit": tree.commune.pk, "period": "2025", "indicator": "children", "by": "0"}
    )
    assert response.status_code == 302
    assert "indicator=children" in response["Location"] and "period=2025" in response["Location"]
    assert DataValue.objects.get(indicator__code="children", unit=tree.commune, period="2025", disagg="").value == 3
    assert shown(client.get(response["Location"]).text)[(tree.commune.pk, "")] == "3"


def test_compute_now_is_scoped_and_needs_figures_enter(client, officer, make_user, tree, registry_data) -> None:  # noqa: ANN001
    login(client, officer)
    url = reverse("indicators:compute")
    assert client.post(url, {"unit": tree.sibling.pk, "period": "2025"}).status_code == 404
    assert client.post(url, {"unit": tree.commune.pk, "period": "2025x"}).status_code == 400
    login(client, make_user(roles.COMMUNE_CHAIRMAN, tree.commune))
    assert client.post(url, {"unit": tree.commune.pk, "period": "2025"}).status_code == 403
    assert not DataValue.objects.exists()


# --- small-cell suppression --------------------------------------------------------------------------------------


def figure_texts(html: str) -> list[str]:
    """Every number-like token a reader sees in the figures: cells, their sub-lines and the chart."""
    page = parse(html)
    texts = [t for value, parts in page.cells.values() for t in (value, *parts.split("/"))] + page.chart
    return [t for t in texts if t]


@pytest.mark.parametrize("by", ["0", "1", "2"])
def test_without_figures_exact_no_small_figure_is_shown(client, make_user, crowd, by) -> None:  # noqa: ANN001
    login(client, make_user(roles.COMMUNE_CHAIRMAN, crowd.commune))
    text = client.get(URL, {"indicator": "children", "period": "2025", "by": by}).text
    assert not SMALL & set(figure_texts(text))
    assert not re.search(r">\s*[1-4]\s*<", text)
    if by == "0":
        cells = shown(text)
        assert cells[(crowd.village.pk, "age_group=11-15;sex=M")] == "<5"
        assert cells[(crowd.commune.pk, "")] == "27"
        assert 'data-testid="suppression-legend"' in text


def attack(pages: list[str], indicator: Indicator, root) -> dict:  # noqa: ANN001
    """What subtraction recovers from the cells of these pages taken together."""
    texts: dict[tuple[int, str], str] = {}
    for html in pages:
        texts.update(shown(html))
    keys = {(indicator.pk, unit, disagg) for unit, disagg in texts}
    values = [v for v in values_for("2025", root, indicators=[indicator], depth=1) if v.key in keys]
    _cells, rels = relations(values, dict(Dimension.objects.values_list("code", "partition")))
    published = {(indicator.pk, u, d): number(t) for (u, d), t in texts.items() if t not in ("<5", "x")}
    hidden = [(indicator.pk, u, d) for (u, d), t in texts.items() if t in ("<5", "x")]
    return recover(published, hidden, rels)


def test_an_attacker_recovers_nothing_from_the_page(client, make_user, crowd) -> None:  # noqa: ANN001
    login(client, make_user(roles.COMMUNE_CHAIRMAN, crowd.commune))
    children = Indicator.objects.get(code="children")
    pages = [client.get(URL, {"indicator": "children", "period": "2025", "by": by}).text for by in "012"]
    assert {"<5", "x"} <= set(shown(pages[0]).values()), "small cells and their complements are hidden"
    for html in pages:
        assert attack([html], children, crowd.commune) == {}
    assert attack(pages, children, crowd.commune) == {}  # nor from every breakdown of the same rows together


def test_an_attacker_recovers_nothing_from_the_province_page(client, make_user, crowd) -> None:  # noqa: ANN001
    login(client, make_user(roles.CENTRAL_VIEWER, crowd.nation))
    children = Indicator.objects.get(code="children")
    html = client.get(URL, {"indicator": "children", "period": "2025", "unit": crowd.province.pk}).text
    assert shown(html)[(crowd.sibling.pk, "age_group=0-5;sex=M")] == "<5"
    assert not SMALL & set(figure_texts(html))
    assert attack([html], children, crowd.province) == {}


def test_a_suppressed_ratio_hides_its_parts(client, make_user, registry_data, tree) -> None:  # noqa: ANN001
    services.compute(Y2025, [tree.province])
    login(client, make_user(roles.COMMUNE_CHAIRMAN, tree.commune))
    text = client.get(URL, {"indicator": "children_special_share", "period": "2025"}).text
    value, parts = parse(text).cells[(tree.commune.pk, "")]
    assert value in ("<5", "x") and parts == ""
    assert not SMALL & set(figure_texts(text))


# --- downloads ----------------------------------------------------------------------------------------------


def test_download_links_name_the_same_table(client, officer, crowd) -> None:  # noqa: ANN001
    login(client, officer)
    text = client.get(URL, {"indicator": "children", "period": "2025"}).text
    export = reverse("indicators:export")
    for fmt in ("xlsx", "csv", "dhis2", "adx"):
        assert f"{export}?period=2025&amp;unit={crowd.commune.pk}&amp;format={fmt}&amp;indicator=children" in text


def test_a_user_without_a_unit_sees_no_figures_unless_administrator(client, make_user, crowd) -> None:  # noqa: ANN001
    login(client, make_user(roles.CENTRAL_VIEWER, None))
    assert client.get(URL, {"period": "2025"}).status_code == 404
    assert client.get(URL, {"period": "2025", "unit": crowd.nation.pk}).status_code == 404
    admin = make_user(roles.SYSTEM_ADMIN, None, is_superuser=True)
    login(client, admin)
    assert shown(client.get(URL, {"period": "2025"}).text)[(crowd.province.pk, "")] == "35"
