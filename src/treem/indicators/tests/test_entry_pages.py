"""The data-entry, completeness, targets and reform pages, and the admin of the indicator set."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from treem.accounts import roles
from treem.accounts.tests.factories import UserFactory
from treem.accounts.tests.helpers import login
from treem.audit.models import AuditEvent
from treem.indicators.entry_views import default_period
from treem.indicators.models import DataValue, Indicator, Origin, Target

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("injuries_entered")]


@pytest.fixture
def reporter(tree, make_user):  # noqa: ANN001, ANN201
    return make_user(roles.AGENCY_REPORTER, tree.commune)


def entry_url(unit, period: str = "2025S1") -> str:  # noqa: ANN001
    return f"{reverse('indicators:entry', args=[unit.pk])}?period={period}"


def test_the_entry_page_lists_the_entered_indicators_with_their_breakdowns(client, tree, reporter):
    client.force_login(reporter)
    response = client.get(entry_url(tree.commune))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="child_injuries__0__v"' in html and 'name="child_injuries__2__v"' in html  # total, M, F
    assert 'name="immunised_under1__0__n"' not in html  # yearly: not asked for a half year
    assert 'name="immunised_under1__0__n"' in client.get(entry_url(tree.commune, "2025")).content.decode()


def test_the_entry_page_reads_as_many_times_for_many_indicators_as_for_one(client, tree, reporter):
    """The breakdown options of every indicator on the form are read together, not once per indicator."""
    client.force_login(reporter)
    with CaptureQueriesContext(connection) as every:
        assert client.get(entry_url(tree.commune, "2025")).status_code == 200
    entered = Indicator.objects.filter(source="entered", is_active=True)
    assert entered.exclude(disaggregations=[]).count() > 1
    entered.exclude(code="child_injuries").update(is_active=False)  # one left, broken down by sex
    with CaptureQueriesContext(connection) as one:
        assert client.get(entry_url(tree.commune, "2025")).status_code == 200
    assert len(every) == len(one)


def test_saving_the_form_stores_the_figures_and_who_entered_them(client, tree, reporter):
    client.force_login(reporter)
    response = client.post(
        entry_url(tree.commune), {"period": "2025S1", "child_injuries__0__v": "6", "child_injuries__1__v": "4"}
    )
    assert response.status_code == 302
    rows = DataValue.objects.filter(unit=tree.commune, indicator__code="child_injuries", period="2025S1")
    assert dict(rows.values_list("disagg", "value")) == {"": 6, "sex=M": 4}
    assert set(rows.values_list("entered_by", flat=True)) == {reporter.pk}
    assert AuditEvent.objects.filter(actor=reporter, target_type="indicators.entry").exists()
    assert 'value="6"' in client.get(entry_url(tree.commune)).content.decode()  # shown again


def test_a_violated_rule_keeps_what_was_typed_and_stores_nothing(client, tree, reporter):
    client.force_login(reporter)
    response = client.post(
        entry_url(tree.commune),
        {"period": "2025S1", "child_injuries__0__v": "2", "child_injury_deaths__0__v": "5"},
    )  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert "Số trẻ tử vong do tai nạn, thương tích không thể lớn hơn số trẻ bị tai nạn, thương tích." in html
    assert 'value="5"' in html and 'value="2"' in html  # what was typed is kept
    assert not DataValue.objects.exists()


def test_entry_out_of_scope_is_404_and_without_the_capability_403(client, tree, reporter, make_user):
    client.force_login(reporter)
    assert client.get(entry_url(tree.sibling)).status_code == 404
    assert client.get(entry_url(tree.village)).status_code == 404
    assert client.post(entry_url(tree.sibling), {"child_injuries__0__v": "1"}).status_code == 404
    assert not DataValue.objects.exists()
    client.force_login(make_user(roles.CENTRAL_VIEWER, tree.nation))
    assert client.get(entry_url(tree.commune)).status_code == 403
    assert client.get(reverse("indicators:entry_start")).status_code == 403


def test_entry_starts_at_the_user_s_unit_for_the_half_year_just_ended(client, tree, reporter):
    client.force_login(reporter)
    response = client.get(reverse("indicators:entry_start"))
    assert response.url == reverse("indicators:entry", args=[tree.commune.pk])
    assert str(default_period(timezone.localdate().replace(month=8, day=1))).endswith("S1")
    assert "Nhập số liệu" in client.get(reverse("ui:home")).content.decode()  # the menu link


def test_completeness_page_shows_the_share_of_sub_units_that_entered(client, tree, reporter, make_user):
    client.force_login(reporter)
    client.post(entry_url(tree.commune), {"period": "2025S1", "child_injuries__0__v": "0"})
    specialist = make_user(roles.PROVINCE_SPECIALIST, tree.province)
    client.force_login(specialist)
    response = client.get(f"{reverse('indicators:completeness', args=[tree.province.pk])}?period=2025S1")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Xã Khun Há" in html and "Xã Bình Lư" in html
    assert "1/2 (50%)" in html and "0/2 (0%)" in html
    client.force_login(reporter)
    assert client.get(reverse("indicators:completeness", args=[tree.province.pk])).status_code == 404


def test_targets_page_shows_actual_target_and_status_and_hides_small_counts(client, tree, make_user):
    injuries = Indicator.objects.get(code="child_injuries")
    Target.objects.create(indicator=injuries, unit=tree.province, year=2025, comparison="at_most", value=10)
    DataValue.objects.create(indicator=injuries, unit=tree.commune, period="2025", value=3, numerator=3,
                             origin=Origin.ENTERED, computed_at=timezone.now())  # fmt: skip
    url = f"{reverse('indicators:targets', args=[tree.commune.pk])}?year=2025"
    client.force_login(make_user(roles.COMMUNE_OFFICER, tree.commune))  # sees exact figures
    html = client.get(url).content.decode()
    assert "Đạt" in html and "Tỉnh Lai Châu" in html  # met, the province's target
    row = html[html.index('data-testid="target-child_injuries"') :].split("</tr>")[0]
    assert ">3<" in row
    client.force_login(make_user(roles.CENTRAL_VIEWER, tree.nation))  # no exact small figures
    row = client.get(url).content.decode()
    row = row[row.index('data-testid="target-child_injuries"') :].split("</tr>")[0]
    assert "&lt;5" in row and ">3<" not in row
    client.force_login(make_user(roles.COMMUNE_OFFICER, tree.sibling))
    assert client.get(url).status_code == 404


def test_reform_page_says_the_figures_were_apportioned(client, tree, former, make_user):
    specialist = make_user(roles.PROVINCE_SPECIALIST, tree.province)
    client.force_login(specialist)
    response = client.post(reverse("indicators:reform_run", args=[tree.province.pk]), {"period": "2024"})
    assert response.status_code == 302
    assert DataValue.objects.get(indicator__code="children", unit=tree.province, period="2024", disagg="").value == 45
    html = client.get(f"{reverse('indicators:reform', args=[tree.province.pk])}?period=2024").content.decode()
    assert 'data-testid="apportioned"' in html and "Xã F3" in html and "(50%)" in html
    assert ">45<" in html and ">27<" in html  # the province and Khun Há (17 + 8 + 2 of F3's 5)
    former_html = client.get(
        f"{reverse('indicators:reform', args=[tree.province.pk])}?period=2024&under=former"
    ).content.decode()
    assert "Xã F1" in former_html and ">17<" in former_html
    assert client.get(f"{reverse('indicators:reform', args=[tree.province.pk])}?period=2025").status_code == 404
    client.force_login(make_user(roles.COMMUNE_OFFICER, tree.sibling))
    assert client.get(f"{reverse('indicators:reform', args=[tree.province.pk])}?period=2024").status_code == 404


def test_the_admin_edits_the_indicator_set_and_only_shows_data_values(client, tree):
    admin = UserFactory(is_staff=True, is_superuser=True)
    login(client, admin)
    for model in ("indicator", "indicatorgroup", "dimension", "dimensionoption", "target", "validationrule"):
        assert client.get(reverse(f"admin:indicators_{model}_changelist")).status_code == 200
    ind = Indicator.objects.get(code="child_injuries")
    assert client.get(reverse("admin:indicators_indicator_change", args=[ind.pk])).status_code == 200
    assert client.get(reverse("admin:indicators_datavalue_changelist")).status_code == 200
    assert client.get(reverse("admin:indicators_datavalue_add")).status_code == 403
