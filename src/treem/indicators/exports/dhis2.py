"""**DHIS2** dataValueSets JSON: `{"dataValues": [{"dataElement", "period", "orgUnit", "categoryOptionCombo",
"attributeOptionCombo", "value"}]}`, every identifier a *code* (import with `idScheme=CODE`): data element = the
indicator's code, org unit = the unit's official code, period in DHIS2's format (2025, 2025S1, 2025Q3, 202505), value
a string. The category option combo of a breakdown is built from its options, dimension by dimension in the order of
the canonical key (dimension codes sorted): the dimension code in upper case, "_", the option code, joined by "_" —
`age_group=0-5;sex=F` → `AGE_GROUP_0-5_SEX_F`, `group=a` → `GROUP_a`; the total has DHIS2's default combo `default`,
and so has every value's attribute option combo. A DHIS2 administrator gives the combos these codes (or maps them).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO

from treem.core.periods import Period
from treem.units.models import Unit

from ..models import Indicator
from ..publish import format_value
from ..services import parse_disagg
from .base import Export

DHIS2_DEFAULT_COMBO = "default"  # the code of DHIS2's default category option combo (and attribute option combo)


def category_option_combo(disagg: str) -> str:
    """The DHIS2 category option combo code of a breakdown: `age_group=0-5;sex=F` → `AGE_GROUP_0-5_SEX_F`."""
    dims = parse_disagg(disagg)
    if not dims:
        return DHIS2_DEFAULT_COMBO
    return "_".join(f"{d.upper()}_{o}" for d, o in dims.items())


def dhis2_data_values(export: Export) -> list[dict[str, str]]:
    period = export.period.dhis2
    return [
        {
            "dataElement": ind.code,
            "period": period,
            "orgUnit": unit.code,
            "categoryOptionCombo": category_option_combo(v.disagg),
            "attributeOptionCombo": DHIS2_DEFAULT_COMBO,
            "value": format_value(v.value),
        }  # fmt: skip
        for v, ind, unit in export.published()
    ]


def write_dhis2(
    out: IO[str], period: Period, root: Unit, *, suppress: bool = False, indicators: Iterable[Indicator] | None = None,
    scope: Unit | None = None,
) -> int:  # fmt: skip
    """Write a DHIS2 dataValueSet (JSON); returns the number of data values."""
    values = dhis2_data_values(Export.collect(period, root, suppress=suppress, indicators=indicators, scope=scope))
    out.write('{"dataValues": [')  # one value a line: readable, and the fast (C) encoder for each
    out.write(",".join(f"\n {json.dumps(v, ensure_ascii=False)}" for v in values))
    out.write("\n]}\n")
    return len(values)
