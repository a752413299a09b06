"""Loading the criteria of Quyết định 06/QĐ-TTg (definitions as data) from the versioned fixture: the commune
categories with their thresholds, the 13 criteria and their scored items. An administrator corrects the rows in
the admin (the point values the sources do not give are shipped as provisional); `sync(update=False)` never
overwrites them, `update=True` (`treem assessments load --update`) puts the shipped values back."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from .models import Category, Criterion, Item

FIXTURE = Path(__file__).with_name("fixtures") / "criteria.json"


def _put(model: Any, lookup: dict[str, Any], values: dict[str, Any], update: bool) -> Any:
    if update:
        obj, _created = model.objects.update_or_create(**lookup, defaults=values)
    else:
        obj, _created = model.objects.get_or_create(**lookup, defaults=values)
    return obj


def sync(*, update: bool = False, using: str = "default") -> dict[str, int]:
    """Create the shipped rows that are missing (and, with `update`, reset the shipped ones). Returns counts."""
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    counts = {"categories": 0, "criteria": 0, "items": 0}
    with transaction.atomic(using=using):
        for row in data["categories"]:
            _put(Category, {"code": row["code"]}, {k: v for k, v in row.items() if k != "code"}, update)
            counts["categories"] += 1
        for row in data["criteria"]:
            values = {k: v for k, v in row.items() if k not in ("number", "items")}
            criterion = _put(Criterion, {"number": row["number"]}, values, update)
            counts["criteria"] += 1
            for it in row["items"]:
                values = {k: v for k, v in it.items() if k != "code"}
                target = values.get("target")
                values["target"] = None if target is None else Decimal(str(target))
                _put(Item, {"code": it["code"]}, {**values, "criterion": criterion}, update)
                counts["items"] += 1
    return counts
