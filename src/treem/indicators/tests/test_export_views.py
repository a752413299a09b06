"""`indicators:export`: the figures of a unit in scope as a file, exact (and audited) for a reader with
`figures.exact`, suppressed for one without; a unit out of scope is a 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from treem.accounts import roles
from treem.accounts.tests.helpers import login
from treem.audit.models import Action, AuditEvent
from treem.core.periods import Period
from treem.indicators import services

from .test_exports import check_suppressed, read_adx, read_csv, read_dhis2, sheet

pytestmark = pytest.mark.django_db

FORMATS = ("xlsx", "csv", "dhis2", "adx")


@pytest.fixture
def computed(registry_data, tree):  # noqa: ANN001, ANN201
    services.compute(Period.parse("2025"), [tree.province])
    return registry_data


def content(response) -> bytes:  # noqa: ANN001
    return b"".join(response.streaming_content) if response.streaming else response.content


def get(client, user, **params: object):  # noqa: ANN001, ANN201
    login(client, user)
    return client.get(reverse("indicators:export"), params)


def test_a_province_specialist_gets_exact_figures_in_every_format_and_it_is_audited(computed, client, tree, viewer):
    files = {}
    for fmt in FORMATS:
        response = get(client, viewer, period="2025", unit=tree.province.pk, format=fmt)
        assert response.status_code == 200, fmt
        assert "attachment" in response["Content-Disposition"] and "chi-tieu-12-2025" in response["Content-Disposition"]
        files[fmt] = content(response)
    assert read_csv(files["csv"].decode())[("children", "03430", "age_group=6-10;sex=F")] == "2"
    assert read_dhis2(files["dhis2"].decode())[("children", "12", "sex=M")] == "2"
    assert read_adx(files["adx"])[("children", "03430-002", "")] == "1"
    assert "Số liệu chính xác" in sheet(files["xlsx"], "children")[2][0]
    events = AuditEvent.objects.filter(action=Action.EXPORT, target_type="indicator_values")
    assert events.count() == len(FORMATS)
    assert {e.extra["format"] for e in events} == set(FORMATS)
    assert {(e.actor_id, e.unit_path, e.target_id) for e in events} == {(viewer.pk, tree.province.path, "12/2025")}


def test_a_reader_without_exact_figures_gets_them_suppressed_in_every_format(computed, client, tree, make_user):
    central = make_user(roles.CENTRAL_VIEWER, tree.nation)
    assert not central.has_capability("figures.exact")
    files = {fmt: content(get(client, central, period="2025", unit=tree.province.pk, format=fmt)) for fmt in FORMATS}
    check_suppressed(tree, files["csv"].decode(), files["dhis2"].decode(), files["adx"], files["xlsx"])
    assert not AuditEvent.objects.filter(target_type="indicator_values").exists()


def test_one_indicator(computed, client, tree, viewer):
    response = get(client, viewer, period="2025", unit=tree.commune.pk, format="csv", indicator="children_special")
    assert "chi-tieu-03430-2025-children_special.csv" in response["Content-Disposition"]
    table = read_csv(content(response).decode())
    assert {k[0] for k in table} == {"children_special"}
    assert {k[1] for k in table} == {"03430", "03430-001", "03430-002"}  # the commune's subtree
    assert AuditEvent.objects.get(target_type="indicator_values").extra["indicator"] == "children_special"


def test_a_unit_out_of_scope_is_not_found(computed, client, tree, sibling_officer):
    assert get(client, sibling_officer, period="2025", unit=tree.sibling.pk, format="csv").status_code == 200
    for unit in (tree.commune, tree.province, tree.far_commune):
        assert get(client, sibling_officer, period="2025", unit=unit.pk, format="csv").status_code == 404
    assert not AuditEvent.objects.filter(target_type="indicator_values", unit_path=tree.commune.path).exists()


@pytest.mark.parametrize(
    "params",
    [
        {"period": "2025H1", "format": "csv"},
        {"period": "2025", "format": "pdf"},
        {"period": "2025", "format": "csv", "indicator": "nope"},
        {"period": "2024", "format": "adx"},  # nothing computed: no ADX document can hold it
        {"period": "2025", "format": "csv", "unit": "abc"},
    ],
)
def test_unknown_parameters_are_not_found(computed, client, tree, viewer, params):
    assert get(client, viewer, **{"unit": tree.province.pk, **params}).status_code == 404


def test_figures_need_the_right_to_see_statistics(computed, client, tree, make_user):
    worker = make_user(roles.CASE_WORKER, tree.commune)
    assert get(client, worker, period="2025", unit=tree.commune.pk, format="csv").status_code == 403
    client.logout()
    response = client.get(reverse("indicators:export"), {"period": "2025", "unit": tree.commune.pk})
    assert response.status_code == 302


def test_the_adx_download_is_an_adx_document(computed, client, tree, viewer):
    response = get(client, viewer, period="2025", unit=tree.province.pk, format="adx")
    assert response["Content-Type"] == "application/adx+xml"
    body = content(response)
    assert body.startswith(b"<?xml") and b'<adx xmlns="urn:ihe:qrph:adx:2015"' in body
    assert read_adx(body)[("children", "12", "")] == "5"
