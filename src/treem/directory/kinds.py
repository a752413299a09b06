"""The shipped kinds of provider (`fixtures/provider_kinds.json`), synced where rows are missing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

KINDS_FILE = Path(__file__).parent / "fixtures" / "provider_kinds.json"


def shipped_kinds() -> list[dict[str, Any]]:
    return json.loads(KINDS_FILE.read_text(encoding="utf-8"))


def kinds_sync(*, model: Any = None, using: str = "default") -> int:
    """Create the shipped kinds that are missing (an administrator's edits stay). `model`: a migration's model."""
    if model is None:
        from .models import ProviderKind

        model = ProviderKind
    created = 0
    for row in shipped_kinds():
        values = {k: v for k, v in row.items() if k != "code"}
        _obj, made = model.objects.using(using).get_or_create(code=row["code"], defaults=values)
        created += made
    return created
