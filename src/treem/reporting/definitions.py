"""Loading the shipped report types, their outlines and their deadline rules (definitions as data) from the
versioned fixture. An administrator adapts the rows in the admin; `sync(update=False)` never overwrites them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import transaction

from .models import DeadlineRule, ReportType

FIXTURES = Path(__file__).with_name("fixtures")


def _fixture() -> list[dict[str, Any]]:
    data: dict[str, Any] = json.loads((FIXTURES / "report_types.json").read_text(encoding="utf-8"))
    return list(data["report_types"])


def sync(*, update: bool = False, using: str = "default") -> dict[str, int]:
    """Create the shipped report types and deadline rules that are missing (with `update`, reset them)."""
    counts = {"types": 0, "deadlines": 0}
    with transaction.atomic(using=using):
        for row in _fixture():
            values = {k: v for k, v in row.items() if k not in ("code", "deadlines")}
            if update:
                rtype, _created = ReportType.objects.update_or_create(code=row["code"], defaults=values)
            else:
                rtype, _created = ReportType.objects.get_or_create(code=row["code"], defaults=values)
            counts["types"] += 1
            for rule in row["deadlines"]:
                lookup = {"report_type": rtype, "structure": rule["structure"], "level": rule["level"]}
                rest = {k: v for k, v in rule.items() if k not in ("structure", "level")}
                if update:
                    DeadlineRule.objects.update_or_create(**lookup, defaults=rest)
                else:
                    DeadlineRule.objects.get_or_create(**lookup, defaults=rest)
                counts["deadlines"] += 1
    return counts
