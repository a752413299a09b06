"""What matching adds to the registry's child page (registered in `MatchingConfig.ready()`): the merges that made
this record, each with who merged, when, the record absorbed, and an undo for whoever may undo it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from treem.accounts import permissions as rules
from treem.registry.panels import Panel
from treem.registry.services.merge import can_merge

from . import selectors

if TYPE_CHECKING:
    from treem.accounts.web import AuthedRequest
    from treem.registry.models import Child


def child_merges_panel(request: AuthedRequest, child: Child) -> Panel | None:
    """The merges into this child (undone ones too, marked so); nothing when the record was never merged."""
    merges = selectors.merges_into(child)
    if not merges:
        return None
    may_undo = rules.REVIEW_DUPLICATES.allows(request.user)
    rows = [
        {"merge": m, "can_undo": may_undo and m.is_active and can_merge(request.user, m.survivor, m.other)}
        for m in merges
    ]
    return Panel("matching/_child_merges.html", {"rows": rows})
