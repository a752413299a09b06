"""The composite child-rights index (chỉ số thực hiện quyền trẻ em) of a unit, from stored figures.

Each active `IndexComponent` names an indicator, the value that scores 0 (`worst`) and the one that scores 100
(`best`): its score is the unit's stored total scaled linearly between them and clipped to 0–100,

    score = 100 × (value − worst) / (best − worst), then kept within 0 … 100

(for "lower is better" `best` is below `worst`, so the same formula turns a smaller value into a higher score).
The index is the weighted mean of the scores of the components that have a figure the reader may see:

    index = Σ weightᵢ × scoreᵢ / Σ weightᵢ   (over the components with a figure)

A component without a figure for the year, or whose figure is hidden from this reader by small-cell suppression,
is left out and the weights of the others count for more; the page says which. When the components left hold
less than half of the total weight (`MIN_COVERAGE`), there is no index: too little is known to say a number.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils.translation import get_language

from treem.indicators.models import Indicator
from treem.indicators.publish import CellKey, Value
from treem.indicators.suppression import Hidden

from .models import Direction, IndexComponent

FIXTURE = Path(__file__).with_name("fixtures") / "child_rights_index.json"
MIN_COVERAGE = 0.5


def sync(*, update: bool = False, using: str = "default") -> int:
    """Create the shipped components whose indicator exists and that are missing (with `update`, reset them)."""
    rows = json.loads(FIXTURE.read_text(encoding="utf-8"))["components"]
    made = 0
    with transaction.atomic(using=using):
        for row in rows:
            indicator = Indicator.objects.using(using).filter(code=row["indicator"]).first()
            if indicator is None:
                continue
            values = {k: v for k, v in row.items() if k != "indicator"}
            values["weight"] = Decimal(str(values["weight"]))
            if update:
                IndexComponent.objects.using(using).update_or_create(indicator=indicator, defaults=values)
                made += 1
            elif not IndexComponent.objects.using(using).filter(indicator=indicator).exists():
                IndexComponent.objects.using(using).create(indicator=indicator, **values)
                made += 1
    return made


def components() -> list[IndexComponent]:
    return list(IndexComponent.objects.filter(is_active=True, indicator__is_active=True).select_related("indicator"))


def score(component: IndexComponent, value: float) -> float:
    """The component's 0–100 score of `value` between its goalposts."""
    raw = 100 * (value - component.worst) / (component.best - component.worst)
    return max(0.0, min(100.0, raw))


@dataclass(frozen=True, slots=True)
class Part:
    component: IndexComponent
    value: float | None  # None: no figure, or hidden from this reader
    state: str  # "", "no_data", or a `suppression.Hidden` value
    score: float | None
    weight: float
    points: float | None = None  # what the part brings to the index: score × weight ÷ the weight used

    @property
    def right(self) -> str:
        c = self.component
        return c.right_en if (get_language() or "vi").startswith("en") else c.right_vi

    @property
    def direction_higher(self) -> bool:
        return self.component.direction == Direction.HIGHER


@dataclass(frozen=True, slots=True)
class IndexResult:
    unit_id: int
    value: float | None
    parts: tuple[Part, ...]
    coverage: float  # the share of the total weight whose components have a figure


def unit_index(
    unit_id: int, comps: list[IndexComponent], totals: dict[int, Value], hidden: dict[CellKey, Hidden]
) -> IndexResult:
    """The index of one unit. `totals`: the unit's stored totals by indicator id; `hidden`: the reader's pattern."""
    parts: list[Part] = []
    for c in comps:
        v = totals.get(c.indicator_id)
        weight = float(c.weight)
        if v is None:
            parts.append(Part(c, None, "no_data", None, weight))
        elif (state := hidden.get(v.key)) is not None:
            parts.append(Part(c, None, str(state), None, weight))
        else:
            parts.append(Part(c, v.value, "", score(c, v.value), weight))
    total = sum(p.weight for p in parts)
    used = sum(p.weight for p in parts if p.score is not None)
    coverage = used / total if total else 0.0
    value = None
    if used:
        parts = [replace(p, points=p.score * p.weight / used) if p.score is not None else p for p in parts]
    if total and coverage >= MIN_COVERAGE:
        value = sum(p.points for p in parts if p.points is not None)
    return IndexResult(unit_id, value, tuple(parts), coverage)
