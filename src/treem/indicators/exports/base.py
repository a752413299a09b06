"""What every export reads.

Every format reads the same stored values of a unit's subtree for one period (`Export.collect`); with `suppress` the
small cells and their complementary partners are hidden (`publish.hidden_cells`): shown as "<5"/"x" in the CSV and
the workbook, left out of the DHIS2 and ADX files (a receiving system stores numbers, not marks).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from treem.core.periods import Period
from treem.units.models import Unit

from ..models import Indicator
from ..publish import CellKey, Value, hidden_for, values_for
from ..suppression import Hidden


def export_rows(
    period: str, root: Unit, *, suppress: bool, indicators: Iterable[Indicator] | None = None,
    scope: Unit | None = None,
) -> tuple[list[Value], dict[int, Indicator], dict[int, Unit], dict[CellKey, Hidden]]:  # fmt: skip
    """The values under `root`, the indicators and units they name, and the hidden cells (empty when exact): one
    pattern over the reader's whole `scope` (default: `root`), the same as their pages show."""
    values = values_for(period, root, indicators=indicators)
    inds = {i.pk: i for i in Indicator.objects.select_related("group").filter(pk__in={v.indicator_id for v in values})}
    units = {u.pk: u for u in Unit.objects.filter(pk__in={v.unit_id for v in values})}
    hidden = hidden_for(period, scope or root, inds.values()) if suppress else {}
    return values, inds, units, hidden


class EmptyExport(ValueError):
    """Nothing stored for the unit and period (an ADX document needs at least one value)."""


@dataclass(frozen=True, slots=True)
class Export:
    """What one export writes: the values in publication order, the indicators and units they name, and the cells a
    reader without the right to exact small figures must not see (empty for exact figures)."""

    period: Period
    root: Unit
    values: list[Value]
    indicators: dict[int, Indicator]
    units: dict[int, Unit]
    hidden: dict[CellKey, Hidden]
    suppressed: bool

    @classmethod
    def collect(
        cls, period: Period, root: Unit, *, suppress: bool, indicators: Iterable[Indicator] | None = None,
        scope: Unit | None = None,
    ) -> Export:  # fmt: skip
        values, inds, units, hidden = export_rows(
            str(period), root, suppress=suppress, indicators=indicators, scope=scope
        )

        def order(v: Value) -> tuple[Any, ...]:
            ind, unit = inds[v.indicator_id], units[v.unit_id]
            return (ind.group.sort_order, ind.sort_order, ind.code, unit.path, v.disagg)

        return cls(period, root, sorted(values, key=order), inds, units, hidden, suppress)

    def published(self) -> Iterable[tuple[Value, Indicator, Unit]]:
        """The values a reader may see, in order: hidden cells are left out."""
        for v in self.values:
            if v.key not in self.hidden:
                yield v, self.indicators[v.indicator_id], self.units[v.unit_id]
