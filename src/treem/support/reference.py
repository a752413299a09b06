"""The programmes shipped with Treem (`fixtures/programmes.json`, e.g. `gift-special`): loaded by the migration
`0002_load_programmes` on install; `programmes_sync()` loads them again (a test database flushed between tests,
an install whose administrator deleted one). An existing row with the same code is left as it is."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FIXTURE = Path(__file__).with_name("fixtures") / "programmes.json"


def shipped_programmes() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return rows


def programmes_sync() -> int:
    """Create the shipped programmes that are missing; returns how many were created."""
    from .models import Programme

    created = 0
    for row in shipped_programmes():
        _obj, new = Programme.objects.get_or_create(
            code=row["code"], defaults={k: v for k, v in row.items() if k != "code"}
        )
        created += new
    return created


def disaster_reference_sync() -> int:
    """Create the shipped kinds of disaster and of need that are missing (`fixtures/disaster_kinds.json`,
    `need_kinds.json`, loaded by migration `0004_disasters`); returns how many were created."""
    from .models import DisasterKind, NeedKind

    created = 0
    for model, name in ((DisasterKind, "disaster_kinds.json"), (NeedKind, "need_kinds.json")):
        for row in json.loads((FIXTURE.parent / name).read_text(encoding="utf-8")):
            _obj, new = model.objects.get_or_create(
                code=row["code"], defaults={k: v for k, v in row.items() if k != "code"}
            )
            created += new
    return created
