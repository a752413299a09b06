"""The shipped agency kinds and event kinds (`fixtures/kinds.json`), synced into their tables."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from treem.core.shipped import read_fixture, sync_by_code

from .models import AgencyKind, EventKind

KINDS_FILE = Path(__file__).parent / "fixtures" / "kinds.json"


def kinds_sync(*, update: bool = False, using: str = "default") -> int:
    """Create the shipped kinds that are missing (with `update`, reset the shipped ones); returns rows created."""
    data = read_fixture(KINDS_FILE)
    with transaction.atomic(using=using):
        return sum(
            sync_by_code(model, data[key], update=update, using=using, sort_step=10)
            for model, key in ((AgencyKind, "agency_kinds"), (EventKind, "event_kinds"))
        )
