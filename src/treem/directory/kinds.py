"""The shipped kinds of provider (`fixtures/provider_kinds.json`), synced where rows are missing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from treem.core.shipped import read_fixture, sync_by_code

KINDS_FILE = Path(__file__).parent / "fixtures" / "provider_kinds.json"


def shipped_kinds() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = read_fixture(KINDS_FILE)
    return rows


def kinds_sync(*, model: Any = None, using: str = "default") -> int:
    """Create the shipped kinds that are missing (an administrator's edits stay). `model`: a migration's model."""
    if model is None:
        from .models import ProviderKind

        model = ProviderKind
    return sync_by_code(model, shipped_kinds(), using=using)
