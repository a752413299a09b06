"""Suppression cannot be undone by subtraction: an attacker function recomputes what it can, and finds nothing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from treem.indicators.suppression import Hidden, Relation, recover, suppress


def table(rows: list[list[int]]) -> tuple[dict, list[Relation]]:
    """Units × sexes with row totals, column totals and a grand total: every additive relation of such a page."""
    cells: dict = {}
    relations = []
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            cells[(r, c)] = v
        cells[(r, "t")] = sum(row)
        relations.append(Relation((r, "t"), tuple((r, c) for c in range(len(row)))))
    width = len(rows[0])
    for c in range(width):
        cells[("t", c)] = sum(row[c] for row in rows)
        relations.append(Relation(("t", c), tuple((r, c) for r in range(len(rows)))))
    cells[("t", "t")] = sum(map(sum, rows))
    relations.append(Relation(("t", "t"), tuple((r, "t") for r in range(len(rows)))))
    relations.append(Relation(("t", "t"), tuple(("t", c) for c in range(width))))
    return cells, relations


def test_a_single_small_cell_gets_a_partner_in_its_row_and_its_column():
    cells, relations = table([[3, 40], [25, 30]])
    hidden = suppress(cells, relations)
    assert hidden[(0, 0)] == Hidden.PRIMARY
    assert Hidden.COMPLEMENTARY in hidden.values()
    published = {k: v for k, v in cells.items() if k not in hidden}
    assert recover(published, hidden, relations) == {}


def test_zeros_and_large_figures_stay_published():
    cells, relations = table([[0, 40], [25, 30]])
    assert suppress(cells, relations) == {}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.integers(min_value=0, max_value=30), min_size=2, max_size=4), min_size=2, max_size=5))
def test_no_hidden_cell_can_be_recomputed(rows):
    width = min(map(len, rows))
    rows = [row[:width] for row in rows]
    cells, relations = table(rows)
    hidden = suppress(cells, relations)
    assert all(k in hidden for k, v in cells.items() if 0 < v < 5)
    published = {k: v for k, v in cells.items() if k not in hidden}
    assert recover(published, hidden, relations) == {}


@pytest.mark.django_db
def test_a_ratio_is_hidden_when_the_count_behind_its_denominator_is_hidden(tree):
    """Girls = 20 hidden ("x") beside 3 boys: the share of girls in special circumstances, 0 of 20, would give the
    20 back (and the boys as the total minus it), so it is hidden too."""
    from treem.indicators.models import Indicator
    from treem.indicators.publish import Value, hidden_cells

    children = Indicator.objects.get(code="children")
    share = Indicator.objects.get(code="children_special_share")
    u = tree.commune.pk
    values = [
        Value(children.pk, u, None, "", 23, 23, None),
        Value(children.pk, u, None, "sex=F", 20, 20, None),
        Value(children.pk, u, None, "sex=M", 3, 3, None),
        Value(share.pk, u, None, "", 0.0, 0, 23),
        Value(share.pk, u, None, "sex=F", 0.0, 0, 20),
        Value(share.pk, u, None, "sex=M", 0.0, 0, 3),
    ]
    hidden = hidden_cells(values, {children.pk: children, share.pk: share})
    assert hidden[(children.pk, u, "sex=M")] == Hidden.PRIMARY
    assert (children.pk, u, "sex=F") in hidden
    assert (share.pk, u, "sex=M") in hidden
    assert (share.pk, u, "sex=F") in hidden
    assert (share.pk, u, "") not in hidden
