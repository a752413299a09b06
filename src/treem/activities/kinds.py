"""The shipped activity types (`fixtures/types.json`), synced into their table."""

from __future__ import annotations

from pathlib import Path

from treem.core.shipped import read_fixture, sync_by_code

from .models import ActivityType

TYPES_FILE = Path(__file__).parent / "fixtures" / "types.json"


def types_sync(*, update: bool = False, using: str = "default") -> int:
    """Create the shipped types that are missing (with `update`, reset the shipped ones); returns rows created."""
    rows = read_fixture(TYPES_FILE)["activity_types"]
    return sync_by_code(ActivityType, rows, update=update, using=using, sort_step=10)
