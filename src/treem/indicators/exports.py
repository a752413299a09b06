"""Exports of stored values: the CSV contract (`treem indicators export --format csv`).

CSV columns, in this order: indicator,unit_code,period,sex,age_group,group,value — `indicator` the definition's
code, `unit_code` the unit's official code, `sex` M/F/empty (all), `age_group` 0-5/6-10/11-15/empty, `group` the law
letter/empty; one row per unit of the subtree and breakdown by those three dimensions (breakdowns by other
dimensions are in the other formats). Rows are sorted by indicator, unit path and breakdown.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

from treem.units.models import Unit

from .models import Indicator
from .publish import CellKey, Value, hidden_cells, shown, values_for
from .services import parse_disagg
from .suppression import Hidden

CSV_COLUMNS = ("indicator", "unit_code", "period", "sex", "age_group", "group", "value")
CSV_DIMS = ("sex", "age_group", "group")


def export_rows(
    period: str, root: Unit, *, suppress: bool, indicators: Iterable[Indicator] | None = None
) -> tuple[list[Value], dict[int, Indicator], dict[int, Unit], dict[CellKey, Hidden]]:
    """The values under `root`, the indicators and units they name, and the hidden cells (empty when exact)."""
    values = values_for(period, root, indicators=indicators)
    inds = {i.pk: i for i in Indicator.objects.select_related("group").filter(pk__in={v.indicator_id for v in values})}
    units = {u.pk: u for u in Unit.objects.filter(pk__in={v.unit_id for v in values})}
    hidden = hidden_cells(values, inds) if suppress else {}
    return values, inds, units, hidden


def write_csv(out: TextIO, period: str, root: Unit, *, suppress: bool = False) -> int:
    """Write the CSV contract; returns the number of data rows."""
    values, inds, units, hidden = export_rows(period, root, suppress=suppress)
    rows = []
    for v in values:
        dims = parse_disagg(v.disagg)
        if set(dims) - set(CSV_DIMS):
            continue
        unit, ind = units[v.unit_id], inds[v.indicator_id]
        text = shown(v.value, hidden.get(v.key))
        sort = (ind.group.sort_order, ind.sort_order, ind.code, unit.path, v.disagg)
        rows.append((sort, [ind.code, unit.code, period, *(dims.get(d, "") for d in CSV_DIMS), text]))
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for _sort, row in sorted(rows, key=lambda r: r[0]):
        writer.writerow(row)
    return len(rows)
