"""Figures through the API: entered through the entry service with its validation, read as the exports read them
(scope, small-cell suppression), and as a DHIS2 dataValueSet."""

from __future__ import annotations

import pytest

from treem.accounts import roles
from treem.indicators.models import DataValue

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("injuries_entered")]


@pytest.fixture
def reporter(tree, make_user):  # noqa: ANN001, ANN201
    return make_user(roles.AGENCY_REPORTER, tree.commune)


def _enter(api, unit, figures: dict):  # noqa: ANN001, ANN202
    return api.post("/data-values", {"unit_id": unit.pk, "period": "2025S1", "figures": figures})


def test_entered_figures_go_through_the_entry_service(api_as, tree, reporter) -> None:  # noqa: ANN001
    api = api_as(reporter)
    response = _enter(api, tree.commune, {"child_injuries": {"sex=M": {"value": 6}, "sex=F": {"value": 7}}})
    assert response.status_code == 200, response.text
    assert response.json() == {"stored": 3}  # the blank total is the sum, as on the entry page
    values = dict(DataValue.objects.filter(unit=tree.commune).values_list("disagg", "value"))
    assert values == {"": 13, "sex=M": 6, "sex=F": 7}
    rejected = _enter(
        api, tree.commune, {"child_injuries": {"": {"value": 3}}, "child_injury_deaths": {"": {"value": 4}}}
    )
    assert rejected.status_code == 400
    assert rejected.json()["code"] == "rejected"
    assert "không thể lớn hơn" in rejected.json()["message"]
    assert _enter(api, tree.commune, {"children_0_15": {"": {"value": 3}}}).status_code == 400  # computed: not entered
    assert _enter(api, tree.sibling, {"child_injuries": {"": {"value": 3}}}).status_code == 404  # out of scope


def test_reading_suppresses_small_cells_like_the_exports(api_as, tree, reporter, viewer, make_user) -> None:  # noqa: ANN001
    _enter(api_as(reporter), tree.commune, {"child_injuries": {"sex=M": {"value": 2}, "sex=F": {"value": 7}}})
    chairman = api_as(make_user(roles.COMMUNE_CHAIRMAN, tree.commune))  # sees figures, not exact small ones
    page = chairman.get("/data-values", {"unit": tree.commune.pk, "period": "2025S1"}).json()
    assert page["suppressed"] is True
    shown = {(v["indicator"], v["disagg"]): v["value"] for v in page["items"]}
    assert ("child_injuries", "sex=M") not in shown  # 2 is a small cell
    assert ("child_injuries", "sex=F") not in shown  # its complementary partner: 9 - 7 would give it away
    dhis2 = chairman.get("/dhis2/dataValueSets", {"unit": tree.commune.pk, "period": "2025S1"}).json()
    assert {(v["dataElement"], v["categoryOptionCombo"]) for v in dhis2["dataValues"]} == {
        (code, "default" if not disagg else disagg.replace("sex=", "SEX_")) for code, disagg in shown
    }
    assert all(v["period"] == "2025S1" and v["orgUnit"] == tree.commune.code for v in dhis2["dataValues"])
    exact = api_as(viewer).get("/data-values", {"unit": tree.commune.pk, "period": "2025S1"}).json()
    assert exact["suppressed"] is False  # the province specialist has figures.exact
    assert {(v["disagg"], v["value"]) for v in exact["items"] if v["indicator"] == "child_injuries"} >= {("sex=M", 2)}
    assert chairman.get("/data-values", {"unit": tree.sibling.pk, "period": "2025S1"}).status_code == 404
    assert api_as(reporter).get("/data-values", {"unit": tree.commune.pk, "period": "2025S1"}).status_code == 403
