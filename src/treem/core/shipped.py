"""Rows shipped in a JSON fixture (kinds, types, sources…), synced into their table by code.

An app's `*_sync()` is one call of `sync_by_code`: from its post_migrate hook, from a data migration (with the
historical model and the migration's database alias) or from a test whose database was flushed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from django.db import transaction

__all__ = ["read_fixture", "sync_by_code"]


def read_fixture(path: Path) -> Any:
    """The parsed JSON of a shipped fixture file."""
    return json.loads(path.read_text(encoding="utf-8"))


def sync_by_code(
    model: Any,
    rows: Iterable[Mapping[str, Any]],
    *,
    update: bool = False,
    using: str = "default",
    sort_step: int | None = None,
) -> int:
    """Create the shipped rows whose `code` is missing; returns how many were created.

    An existing row is left as an administrator made it, unless `update` resets it to the shipped values.
    `model` may be a migration's historical model. With `sort_step`, a row's `sort_order` is its place in the file
    times the step.
    """
    manager = model._default_manager.using(using)
    created = 0
    with transaction.atomic(using=using):
        for order, row in enumerate(rows):
            values = {k: v for k, v in row.items() if k != "code"}
            if sort_step is not None:
                values["sort_order"] = order * sort_step
            if update:
                _, was_created = manager.update_or_create(code=row["code"], defaults=values)
            else:
                _, was_created = manager.get_or_create(code=row["code"], defaults=values)
            created += was_created
    return created
