"""**CSV** (`treem indicators export --format csv`, a contract): columns, in this order,
indicator,unit_code,period,sex,age_group,group,value — `indicator` the definition's code, `unit_code` the unit's
official code, `sex` M/F/empty (all), `age_group` 0-5/6-10/11-15/empty, `group` the law letter/empty; one row per unit
of the subtree and breakdown by those three dimensions (breakdowns by other dimensions are in the other formats). Rows
are sorted by indicator, unit path and breakdown.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO

from treem.core.periods import Period
from treem.units.models import Unit

from ..models import Indicator
from ..publish import shown
from ..services import parse_disagg
from .base import Export

CSV_COLUMNS = ("indicator", "unit_code", "period", "sex", "age_group", "group", "value")
CSV_DIMS = ("sex", "age_group", "group")


def write_csv(
    out: IO[str], period: Period, root: Unit, *, suppress: bool = False, indicators: Iterable[Indicator] | None = None,
    scope: Unit | None = None,
) -> int:  # fmt: skip
    """Write the CSV contract; returns the number of data rows."""
    export = Export.collect(period, root, suppress=suppress, indicators=indicators, scope=scope)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    n = 0
    for v in export.values:
        dims = parse_disagg(v.disagg)
        if set(dims) - set(CSV_DIMS):
            continue
        ind, unit = export.indicators[v.indicator_id], export.units[v.unit_id]
        text = shown(v.value, export.hidden.get(v.key))
        writer.writerow([ind.code, unit.code, str(period), *(dims.get(d, "") for d in CSV_DIMS), text])
        n += 1
    return n
