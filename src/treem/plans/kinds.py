"""The shipped agency kinds and event kinds (`fixtures/kinds.json`), synced into their tables."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import transaction

from .models import AgencyKind, EventKind

KINDS_FILE = Path(__file__).parent / "fixtures" / "kinds.json"


def kinds_sync(*, update: bool = False, using: str = "default") -> int:
    """Create the shipped kinds that are missing (with `update`, reset the shipped ones); returns rows created."""
    data: dict[str, list[dict[str, Any]]] = json.loads(KINDS_FILE.read_text(encoding="utf-8"))
    created = 0
    with transaction.atomic(using=using):
        for model, rows in ((AgencyKind, data["agency_kinds"]), (EventKind, data["event_kinds"])):
            for order, row in enumerate(rows):
                values = {k: v for k, v in row.items() if k != "code"} | {"sort_order": order * 10}
                manager = model.objects.using(using)
                if update:
                    _, was_created = manager.update_or_create(code=row["code"], defaults=values)
                else:
                    _, was_created = manager.get_or_create(code=row["code"], defaults=values)
                created += was_created
    return created
