"""A paginator that stops counting at a cap: an exact COUNT over a whole province reads every row of it."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet

COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """Counts at most `cap` rows (`SELECT COUNT(*) FROM (… LIMIT cap + 1)`); `capped` says there are more."""

    cap = COUNT_CAP
    object_list: QuerySet[Any]  # a queryset, not any sequence: the count is a query

    @cached_property
    def count(self) -> int:
        # Without the ordering: sorting every match before the LIMIT would defeat the cap.
        n = self.object_list.order_by()[: self.cap + 1].count()
        self.capped = n > self.cap
        return min(n, self.cap)

    capped = False
