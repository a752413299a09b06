"""Entered indicators: storing what a unit typed, the sums above it, the validation rules, completeness, audit."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from treem.accounts import roles
from treem.audit.models import AuditEvent
from treem.core.periods import Period
from treem.indicators import services
from treem.indicators.entry import Cell, completeness, entry_cells, entry_indicators, figures_enter
from treem.indicators.models import DataValue, Indicator, Origin, ValidationRule

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("injuries_entered")]

Y2025, S1 = Period.parse("2025"), Period.parse("2025S1")


def figures(code: str, unit, period: Period) -> dict[str, float]:  # noqa: ANN001
    qs = DataValue.objects.filter(indicator__code=code, unit=unit, period=str(period))
    return dict(qs.values_list("disagg", "value"))


@pytest.fixture
def reporter(tree, make_user):  # noqa: ANN001, ANN201
    """The commune's health station reporter: enters figures for Khun Há only."""
    return make_user(roles.AGENCY_REPORTER, tree.commune)


def test_the_entry_form_asks_for_the_total_and_each_option_of_a_breakdown(db):
    injuries = Indicator.objects.get(code="child_injuries")
    assert [c.key for c in entry_cells(injuries)] == ["", "sex=M", "sex=F"]  # "unknown" is not entered
    # children in special circumstances assisted: computed from support deliveries, not entered; abuse cases handled
    # by administrative sanction: computed from the cases' legal outcomes
    entered = {"child_injuries", "child_injury_deaths"}
    assert {i.code for i in entry_indicators(S1)} == entered
    assert "immunised_under1" in {i.code for i in entry_indicators(Y2025)}  # yearly: asked for a year only


def test_entered_counts_are_stored_with_who_entered_them_summed_above_and_audited(tree, reporter, make_user):
    n = figures_enter(
        actor=reporter, unit=tree.commune, period=S1,
        figures={"child_injuries": {"": Cell(value=7), "sex=M": Cell(value=4), "sex=F": Cell(value=3)}},
    )  # fmt: skip
    assert n == 3
    row = DataValue.objects.get(indicator__code="child_injuries", unit=tree.commune, period="2025S1", disagg="")
    assert (row.value, row.origin, row.entered_by) == (7, Origin.ENTERED, reporter)
    sibling_reporter = make_user(roles.AGENCY_REPORTER, tree.sibling)
    figures_enter(actor=sibling_reporter, unit=tree.sibling, period=S1, figures={"child_injuries": {"": Cell(value=2)}})
    assert figures("child_injuries", tree.province, S1) == {"": 9, "sex=M": 4, "sex=F": 3}
    assert figures("child_injuries", tree.nation, S1)[""] == 9
    assert DataValue.objects.get(
        indicator__code="child_injuries", unit=tree.province, period="2025S1", disagg=""
    ).origin == (Origin.ROLLED_UP)
    # a correction replaces the figure and the sums follow
    figures_enter(actor=reporter, unit=tree.commune, period=S1, figures={"child_injuries": {"": Cell(value=5)}})
    assert figures("child_injuries", tree.commune, S1) == {"": 5}
    assert figures("child_injuries", tree.province, S1)[""] == 7
    event = AuditEvent.objects.filter(target_type="indicators.entry", actor=reporter).order_by("pk").last()
    assert event is not None and event.unit_path == tree.commune.path
    assert event.extra["changes"] == {
        "child_injuries[]": ["7", "5"], "child_injuries[sex=F]": ["3", ""], "child_injuries[sex=M]": ["4", ""],
    }  # fmt: skip


def test_a_ratio_is_entered_as_numerator_and_denominator_and_rolls_up_from_the_sums(tree, make_user):
    specialist = make_user(roles.PROVINCE_SPECIALIST, tree.province)
    figures_enter(
        actor=specialist,
        unit=tree.commune,
        period=Y2025,
        figures={"immunised_under1": {"": Cell(numerator=45, denominator=50)}},
    )
    figures_enter(
        actor=specialist,
        unit=tree.sibling,
        period=Y2025,
        figures={"immunised_under1": {"": Cell(numerator=10, denominator=20)}},
    )
    assert figures("immunised_under1", tree.commune, Y2025) == {"": 90.0}
    province = DataValue.objects.get(indicator__code="immunised_under1", unit=tree.province, period="2025")
    assert (province.numerator, province.denominator) == (55, 70)
    assert province.value == pytest.approx(100 * 55 / 70)  # not the mean of 90 % and 50 %


def test_a_blank_total_is_the_sum_of_the_breakdown_and_a_breakdown_cannot_exceed_the_total(tree, reporter):
    figures_enter(
        actor=reporter, unit=tree.commune, period=S1,
        figures={"child_injuries": {"": Cell(), "sex=M": Cell(value=2), "sex=F": Cell(value=1)}},
    )  # fmt: skip
    assert figures("child_injuries", tree.commune, S1) == {"": 3, "sex=M": 2, "sex=F": 1}
    with pytest.raises(ValidationError, match="lớn hơn tổng số"):
        figures_enter(
            actor=reporter, unit=tree.commune, period=S1,
            figures={"child_injuries": {"": Cell(value=2), "sex=M": Cell(value=2), "sex=F": Cell(value=1)}},
        )  # fmt: skip
    assert figures("child_injuries", tree.commune, S1) == {"": 3, "sex=M": 2, "sex=F": 1}  # nothing stored


def test_a_violated_rule_stores_nothing_and_says_why_in_vietnamese(tree, reporter):
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        figures_enter(
            actor=reporter, unit=tree.commune, period=S1,
            figures={"child_injuries": {"": Cell(value=3)}, "child_injury_deaths": {"": Cell(value=4)}},
        )  # fmt: skip
    assert any("không thể lớn hơn số trẻ bị tai nạn" in m for m in exc.value.messages)
    assert not DataValue.objects.exists()
    assert AuditEvent.objects.count() == events
    # the rule also holds against a figure stored earlier
    figures_enter(actor=reporter, unit=tree.commune, period=S1, figures={"child_injuries": {"": Cell(value=3)}})
    with pytest.raises(ValidationError):
        figures_enter(
            actor=reporter, unit=tree.commune, period=S1, figures={"child_injury_deaths": {"": Cell(value=4)}}
        )
    figures_enter(actor=reporter, unit=tree.commune, period=S1, figures={"child_injury_deaths": {"": Cell(value=1)}})
    assert figures("child_injury_deaths", tree.commune, S1) == {"": 1}


def test_a_rule_compares_an_entered_figure_with_a_computed_one(registry_data, tree, editor, make_user):
    services.compute(Y2025, [tree.province])
    assert figures("children_special", tree.commune, Y2025)[""] == 1  # A, in groups a and d
    ValidationRule.objects.create(  # an entered figure checked against a computed one (a rule made for the test)
        left=Indicator.objects.get(code="child_injuries"), operator="le",
        right=Indicator.objects.get(code="children_special"), message_vi="Không lớn hơn số trẻ hoàn cảnh đặc biệt.",
        message_en="Not above the children in special circumstances.",
    )  # fmt: skip
    officer = make_user(roles.COMMUNE_OFFICER, tree.commune)
    with pytest.raises(ValidationError, match="hoàn cảnh đặc biệt"):
        figures_enter(
            actor=officer, unit=tree.commune, period=Y2025, figures={"child_injuries": {"": Cell(value=2)}},
        )  # fmt: skip
    with pytest.raises(ValidationError):  # by sex as well: A is a girl, no boy is in special circumstances
        figures_enter(
            actor=officer, unit=tree.commune, period=Y2025,
            figures={"child_injuries": {"": Cell(value=1), "sex=M": Cell(value=1)}},
        )  # fmt: skip
    figures_enter(actor=officer, unit=tree.commune, period=Y2025, figures={"child_injuries": {"sex=F": Cell(value=1)}})
    assert figures("child_injuries", tree.commune, Y2025) == {"": 1, "sex=F": 1}


def test_only_units_in_scope(tree, reporter, make_user):
    with pytest.raises(PermissionDenied):
        figures_enter(actor=reporter, unit=tree.sibling, period=S1, figures={"child_injuries": {"": Cell(value=1)}})
    viewer = make_user(roles.CENTRAL_VIEWER, tree.nation)  # sees figures, enters none
    with pytest.raises(PermissionDenied):
        figures_enter(actor=viewer, unit=tree.commune, period=S1, figures={"child_injuries": {"": Cell(value=1)}})


def test_a_figure_a_unit_entered_itself_is_never_replaced_by_the_sum_of_its_sub_units(tree, reporter, make_user):
    province_police = make_user(roles.AGENCY_REPORTER, tree.province)
    figures_enter(
        actor=province_police, unit=tree.province, period=S1, figures={"child_injury_deaths": {"": Cell(value=12)}}
    )
    figures_enter(actor=reporter, unit=tree.commune, period=S1, figures={"child_injury_deaths": {"": Cell(value=3)}})
    assert figures("child_injury_deaths", tree.province, S1) == {"": 12}
    assert figures("child_injury_deaths", tree.nation, S1) == {"": 12}
    # cleared at the province: the sum of its communes again
    figures_enter(actor=province_police, unit=tree.province, period=S1, figures={"child_injury_deaths": {"": Cell()}})
    assert figures("child_injury_deaths", tree.province, S1) == {"": 3}


def test_completeness_shows_which_sub_units_entered_each_indicator(tree, reporter):
    figures_enter(actor=reporter, unit=tree.commune, period=S1, figures={"child_injuries": {"": Cell(value=0)}})
    report = completeness(parent=tree.province, period=S1)
    assert [r.unit for r in report.rows] == [tree.sibling, tree.commune]  # by code
    per = {ind.code: (done, pct) for ind, done, pct in report.per_indicator()}
    assert per["child_injuries"] == (1, 50.0)
    assert per["child_injury_deaths"] == (0, 0.0)
    commune_row = report.rows[1]
    assert commune_row.count == 1 and commune_row.percent == pytest.approx(100 / 2)  # 1 of 2 half-yearly indicators
    assert report.percent == pytest.approx(100 / 4)
