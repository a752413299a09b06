"""Signals other apps may listen to without imports depending on them (e.g. matching runs after a commit)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent once an import's rows are stored; kwargs: job (ImportJob), child_ids (the ids of the children it created or
# updated).
import_committed = Signal()
