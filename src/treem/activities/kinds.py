"""The shipped activity types (`fixtures/types.json`), synced into their table."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import transaction

from .models import ActivityType

TYPES_FILE = Path(__file__).parent / "fixtures" / "types.json"


def types_sync(*, update: bool = False, using: str = "default") -> int:
    """Create the shipped types that are missing (with `update`, reset the shipped ones); returns rows created."""
    rows: list[dict[str, Any]] = json.loads(TYPES_FILE.read_text(encoding="utf-8"))["activity_types"]
    created = 0
    manager = ActivityType.objects.using(using)
    with transaction.atomic(using=using):
        for order, row in enumerate(rows):
            values = {k: v for k, v in row.items() if k != "code"} | {"sort_order": order * 10}
            if update:
                _, was_created = manager.update_or_create(code=row["code"], defaults=values)
            else:
                _, was_created = manager.get_or_create(code=row["code"], defaults=values)
            created += was_created
    return created
