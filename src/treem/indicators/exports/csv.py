"""**CSV** (`treem indicators export --format csv`, a contract): columns, in this order,
indicator,unit_code,period,sex,age_group,group,value — `indicator` the definition's code, `unit_code` the unit's
official code, `sex` M/F/empty (all), `age_group` 0-5/6-10/11-15/empty, `group` the law letter (for injuries and
deaths: the kind, drowning, traffic…)/empty; one row per unit of the subtree and breakdown by those three dimensions
(breakdowns by other dimensions are in the other formats): for a count, a combination nobody is in is written as 0
(the store keeps only non-zero cells; `group` only with the options the indicator can have). Rows are sorted by
indicator, unit path and breakdown.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable
from itertools import product
from typing import IO

from treem.core.periods import Period
from treem.units.models import Unit

from ..computations import COMPUTATIONS, UNKNOWN, group_codes
from ..models import DimensionOption, Indicator
from ..publish import shown
from ..services import disagg_key, indicator_subsets, parse_disagg
from .base import Export

CSV_COLUMNS = ("indicator", "unit_code", "period", "sex", "age_group", "group", "value")
CSV_DIMS = ("sex", "age_group", "group")


def write_csv(
    out: IO[str], period: Period, root: Unit, *, suppress: bool = False, indicators: Iterable[Indicator] | None = None,
    scope: Unit | None = None,
) -> int:  # fmt: skip
    """Write the CSV contract; returns the number of data rows."""
    export = Export.collect(period, root, suppress=suppress, indicators=indicators, scope=scope)
    rows: dict[tuple[int, int, str], str] = {}
    for v in export.values:
        if not set(parse_disagg(v.disagg)) - set(CSV_DIMS):
            rows[v.key] = shown(v.value, export.hidden.get(v.key))
    for key in _zero_cells(export):
        rows.setdefault(key, "0")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)

    def order(key: tuple[int, int, str]) -> tuple[object, ...]:
        ind, unit = export.indicators[key[0]], export.units[key[1]]
        return (ind.group.sort_order, ind.sort_order, ind.code, unit.path, key[2])

    for key in sorted(rows, key=order):
        ind, unit, dims = export.indicators[key[0]], export.units[key[1]], parse_disagg(key[2])
        writer.writerow([ind.code, unit.code, str(period), *(dims.get(d, "") for d in CSV_DIMS), rows[key]])
    return len(rows)


def _zero_cells(export: Export) -> Iterable[tuple[int, int, str]]:
    """Every combination of a count's breakdowns by the CSV's dimensions, for each unit that has the count's total
    (options other than "unknown": that one appears only when somebody is in it)."""
    options: dict[str, list[str]] = defaultdict(list)
    for dim, code in (
        DimensionOption.objects.filter(dimension__code__in=CSV_DIMS)
        .exclude(code=UNKNOWN)
        .values_list("dimension__code", "code")
    ):
        options[dim].append(code)
    totals = [v for v in export.values if not v.disagg and not export.indicators[v.indicator_id].is_ratio]
    groups: dict[int, list[str]] = {}  # each indicator's own `group` options (groups of children, kinds of injury)
    for v in totals:
        ind = export.indicators[v.indicator_id]
        if ind.pk not in groups:
            codes = group_codes(COMPUTATIONS.get(ind.numerator))
            groups[ind.pk] = [c for c in options["group"] if codes is None or c in codes]
        for subset in indicator_subsets(ind):
            if subset and set(subset) <= set(CSV_DIMS):
                for combo in product(*(groups[ind.pk] if d == "group" else options[d] for d in subset)):
                    yield (v.indicator_id, v.unit_id, disagg_key(subset, combo))
