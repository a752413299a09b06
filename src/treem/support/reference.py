"""The programmes shipped with Treem (`fixtures/programmes.json`, e.g. `gift-special`): loaded by the migration
`0002_load_programmes` on install; `programmes_sync()` loads them again (a test database flushed between tests,
an install whose administrator deleted one). An existing row with the same code is left as it is. The file names a
programme's source of funds by the older choice (`funding_source`, which the migrations read); `programmes_sync`
gives the shared source it maps to (the map of migration `0005_finance_source`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from treem.core.shipped import read_fixture, sync_by_code

FIXTURE = Path(__file__).with_name("fixtures") / "programmes.json"
SHARED_SOURCE_OF_CHOICE = {
    "state_budget": "state", "child_protection_fund": "fund", "donations": "raised", "other": "other",
}  # fmt: skip


def shipped_programmes() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return rows


def programmes_sync() -> int:
    """Create the shipped programmes that are missing; returns how many were created."""
    from .models import FundingSource, Programme

    created = 0
    for row in shipped_programmes():
        values = {k: v for k, v in row.items() if k not in ("code", "funding_source")}
        code = SHARED_SOURCE_OF_CHOICE.get(row.get("funding_source", ""))
        values["source"] = FundingSource.objects.filter(code=code).first() if code else None
        _obj, new = Programme.objects.get_or_create(code=row["code"], defaults=values)
        created += new
    return created


def disaster_reference_sync() -> int:
    """Create the shipped kinds of disaster and of need that are missing (`fixtures/disaster_kinds.json`,
    `need_kinds.json`, loaded by migration `0004_disasters`); returns how many were created."""
    from .models import DisasterKind, NeedKind

    return sum(
        sync_by_code(model, read_fixture(FIXTURE.parent / name))
        for model, name in ((DisasterKind, "disaster_kinds.json"), (NeedKind, "need_kinds.json"))
    )
