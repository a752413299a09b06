"""The dashboard's figures are the indicator table's: the same stored values, hidden the same way."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.utils import timezone

from treem.core.periods import Period
from treem.dashboards import index as rights_index
from treem.dashboards import selectors
from treem.dashboards.models import Direction, IndexComponent
from treem.indicators import tables
from treem.indicators.models import DataValue, Indicator
from treem.indicators.publish import Value

from .conftest import PERIOD

pytestmark = pytest.mark.django_db


def _table_cells(user, code: str, unit, period: Period = PERIOD, breakdown: int = 0) -> dict[tuple[int, str], str]:  # noqa: ANN001
    """What the indicator table shows: (unit id, disaggregation key) → text."""
    ind = Indicator.objects.get(code=code)
    t = tables.indicator_table(user=user, indicator=ind, period=period, unit=unit, breakdown=breakdown)
    return {(r.unit.pk, c.key): c.text for r in t.rows for c in r.cells}


@pytest.mark.parametrize("reader", ["viewer", "central"])
def test_children_by_age_and_sex_are_the_indicator_tables_figures(tree, figures, reader, request) -> None:  # noqa: ANN001
    user = request.getfixturevalue(reader)
    for unit in (tree.province, tree.commune, tree.sibling):
        board = selectors.dashboard(user=user, unit=unit, period=PERIOD)
        table = _table_cells(user, "children", unit)
        fig = board.figures["age_sex"]
        checked = 0
        for row in fig.rows:
            for i, column in enumerate(fig.columns[:-1]):
                sex = {"Nam": "M", "Nữ": "F"}[column]
                key = f"{row.key};sex={sex}" if row.key else f"sex={sex}"
                assert row.cells[i].text == table[(unit.pk, key)], (unit, key)
                checked += 1
            assert row.cells[-1].text == table[(unit.pk, row.key)]
        assert checked >= 8
        assert board.key_figures[0].cell.text == table[(unit.pk, "")]


def test_small_figures_are_hidden_for_a_reader_without_exact_figures(tree, figures, central) -> None:  # noqa: ANN001
    board = selectors.dashboard(user=central, unit=tree.province, period=PERIOD)
    table = _table_cells(central, "children_special_share", tree.province)
    ranked = {r.key: r.cells[0].text for r in board.figures["ranked"].rows}
    assert ranked == {u.code: table[(u.pk, "")] for u in (tree.commune, tree.sibling)}
    # Bình Lư's three children: hidden in the table, hidden on the dashboard, and no number reaches the script
    sibling_children = _table_cells(central, "children", tree.province)[(tree.sibling.pk, "")]
    assert sibling_children == "<5"
    board_sibling = selectors.dashboard(user=central, unit=tree.sibling, period=PERIOD)
    kf = board_sibling.key_figures[0]
    assert kf.cell.text == "<5" and kf.cell.value is None and kf.cell.hidden
    age_sex = board_sibling.specs["age_sex"]
    flags = [(value, hidden, text) for s in age_sex["series"] for value, hidden, text in zip(
        s["values"], s["hidden"], s["texts"], strict=True)]  # fmt: skip
    assert any(hidden for _v, hidden, _t in flags)
    assert all(value is None and text in ("<5", "x") for value, hidden, text in flags if hidden)
    assert board_sibling.figures["age_sex"].suppressed
    # the groups: three children in group a in Khun Há, hidden as "<5" as in the table (breakdown sex × group)
    groups = {r.key: r.cells[0].text for r in board.figures["groups"].rows}
    special = _table_cells(central, "children_special", tree.province)
    assert groups["group=a"] == special[(tree.province.pk, "group=a")] == "<5"


def test_exact_reader_sees_small_figures_and_the_read_is_audited(tree, figures, viewer) -> None:  # noqa: ANN001
    from treem.audit.models import AuditEvent as AuditEntry

    before = AuditEntry.objects.filter(target_type="dashboard").count()
    board = selectors.dashboard(user=viewer, unit=tree.sibling, period=PERIOD)
    assert board.key_figures[0].cell.text == "3"
    assert AuditEntry.objects.filter(target_type="dashboard").count() == before + 1


def test_the_trend_reads_the_earlier_periods(tree, figures, viewer) -> None:  # noqa: ANN001
    board = selectors.dashboard(user=viewer, unit=tree.commune, period=PERIOD)
    trend = board.figures["groups_trend"]
    assert trend.columns == ["2024S1", "2024S2", "2025S1", "2025S2"]
    rows = {r.key: [c.text for c in r.cells] for r in trend.rows}
    assert rows["group=a"] == ["—", "—", "3", "3"]
    assert rows["group=d"][-2:] == ["0", "1"]  # group d from September 2025


def test_yearly_figures_come_from_the_last_year_ended() -> None:
    assert str(selectors.year_for(Period.parse("2026S1"))) == "2025"
    assert str(selectors.year_for(Period.parse("2025S2"))) == "2025"
    assert str(selectors.year_for(Period.parse("2025"))) == "2025"
    assert [str(p) for p in selectors.trend_periods(Period.parse("2025S1"), 3)] == ["2024S1", "2024S2", "2025S1"]


def test_ranked_sub_units_put_hidden_figures_last(tree, make_user) -> None:  # noqa: ANN001
    from treem.accounts import roles
    from treem.units.tests.factories import make_unit

    central = make_user(roles.CENTRAL_VIEWER, tree.nation)
    third = make_unit(tree.province, "commune", "03499", "Xã Ba", "Xã")
    children = Indicator.objects.get(code="children")
    stamp = timezone.now()
    for unit, n in ((tree.commune, 40), (tree.sibling, 3), (third, 60), (tree.province, 103)):
        DataValue.objects.create(indicator=children, unit=unit, period="2025S2", value=n, numerator=n,
                                 computed_at=stamp)  # fmt: skip
    board = selectors.dashboard(user=central, unit=tree.province, period=PERIOD, ranked=children)
    rows = [(r.key, r.cells[0].text) for r in board.figures["ranked"].rows]
    # Bình Lư (3) is hidden, and so is its partner (40, the smallest other part): both last, in path order
    assert rows[0] == ("03499", "60")
    assert {k for k, _t in rows[1:]} == {"03412", "03430"}
    assert all(t in ("<5", "x") for _k, t in rows[1:])


def _value(ind: Indicator, unit_id: int, v: float) -> Value:
    return Value(ind.pk, unit_id, None, "", v, None, None)


def test_index_is_the_weighted_mean_of_the_scores(tree) -> None:  # noqa: ANN001
    IndexComponent.objects.all().delete()
    birth = Indicator.objects.get(code="birth_registration_under5")
    dropout = Indicator.objects.get(code="dropout_11_15")
    abused = Indicator.objects.get(code="abused_children_share")
    IndexComponent.objects.create(indicator=birth, direction=Direction.HIGHER, worst=80, best=100, weight=Decimal(1))
    IndexComponent.objects.create(indicator=dropout, direction=Direction.LOWER, worst=5, best=0, weight=Decimal(1))
    IndexComponent.objects.create(indicator=abused, direction=Direction.LOWER, worst=1, best=0, weight=Decimal(2))
    comps = rights_index.components()
    u = tree.commune.pk
    totals = {birth.pk: _value(birth, u, 95), dropout.pk: _value(dropout, u, 1), abused.pk: _value(abused, u, 0.25)}
    result = rights_index.unit_index(u, comps, totals, {})
    # scores: 75, 80, 75 → (75×1 + 80×1 + 75×2) / 4 = 76.25
    assert [p.score for p in result.parts] == [75, 80, 75]
    assert result.value == pytest.approx(76.25)
    assert sum(p.points or 0 for p in result.parts) == pytest.approx(76.25)
    # clipped at both ends
    assert rights_index.score(comps[0], 70) == 0 and rights_index.score(comps[0], 101) == 100
    # a part hidden from the reader is left out, the others count for more
    hidden = {(dropout.pk, u, ""): "primary"}
    result = rights_index.unit_index(u, comps, totals, hidden)  # type: ignore[arg-type]
    assert result.parts[1].score is None and result.parts[1].state == "primary"
    assert result.value == pytest.approx((75 + 75 * 2) / 3)
    assert result.coverage == pytest.approx(0.75)
    # under half the weight known: no index
    result = rights_index.unit_index(u, comps, {birth.pk: totals[birth.pk]}, {})
    assert result.value is None and result.coverage == pytest.approx(0.25)


def test_index_components_are_loaded_from_the_fixture() -> None:
    rows = json.loads(rights_index.FIXTURE.read_text(encoding="utf-8"))["components"]
    assert IndexComponent.objects.count() == len(rows)
    IndexComponent.objects.filter(indicator__code="dropout_11_15").update(weight=Decimal(5))
    assert rights_index.sync() == 0  # an administrator's edit stays
    assert IndexComponent.objects.get(indicator__code="dropout_11_15").weight == 5
    rights_index.sync(update=True)
    assert IndexComponent.objects.get(indicator__code="dropout_11_15").weight == 1


def test_index_on_the_dashboard_uses_the_years_stored_values(tree, viewer) -> None:  # noqa: ANN001
    stamp = timezone.now()
    IndexComponent.objects.exclude(indicator__code__in=["birth_registration_under5", "kindergarten_5"]).delete()
    for code, value in (("birth_registration_under5", 90), ("kindergarten_5", 100)):
        ind = Indicator.objects.get(code=code)
        DataValue.objects.create(indicator=ind, unit=tree.commune, period="2025", value=value, numerator=value,
                                 denominator=100, computed_at=stamp)  # fmt: skip
    board = selectors.dashboard(user=viewer, unit=tree.commune, period=Period.parse("2026S1"))
    assert board.year == Period.parse("2025")
    assert board.index is not None and board.index.value == pytest.approx((50 + 100) / 2)
    assert [p.score for p in board.index.parts] == [50, 100]


def test_a_target_read_from_a_half_year_is_hidden_as_that_half_years_table(tree, figures, central) -> None:  # noqa: ANN001
    """Without the year's figures, a half-yearly indicator's actual is its second half's: hidden as in that table."""
    DataValue.objects.filter(period="2025").delete()
    table = _table_cells(central, "children_special_share", tree.province)
    assert table[(tree.commune.pk, "")] in ("<5", "x")  # 4 of Khun Há's 14 children: a small numerator
    board = selectors.dashboard(user=central, unit=tree.commune, period=PERIOD)
    lines = {t.row.indicator.code: t.actual for t in board.targets}
    assert lines["children_special_share"] == table[(tree.commune.pk, "")]
