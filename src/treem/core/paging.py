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


class KeysetPage:
    """A page reached by keyset ("the rows after this one", or before it) rather than OFFSET, shaped like a `Page`
    for the templates: its rows, the number shown, whether more follow and precede, and the paginator of the whole
    list for the (capped) count."""

    def __init__(
        self, rows: list[Any], *, paginator: Paginator, number: int, has_next: bool, has_previous: bool
    ) -> None:
        self.object_list = rows
        self.paginator = paginator
        self.number = number
        self._next, self._previous = has_next, has_previous

    @classmethod
    def after(cls, rows: list[Any], *, paginator: Paginator, number: int, per_page: int) -> KeysetPage:
        """From the rows after a row, `per_page + 1` fetched (the extra one tells whether more follow)."""
        return cls(rows[:per_page], paginator=paginator, number=number, has_next=len(rows) > per_page,
                   has_previous=number > 1)  # fmt: skip

    @classmethod
    def before(cls, rows: list[Any], *, paginator: Paginator, number: int, per_page: int) -> KeysetPage:
        """From the rows before a row, nearest first, `per_page + 1` fetched (the extra one tells whether more
        precede); shown in the list's order."""
        return cls(rows[:per_page][::-1], paginator=paginator, number=number, has_next=True,
                   has_previous=len(rows) > per_page)  # fmt: skip

    def has_next(self) -> bool:
        return self._next

    def has_previous(self) -> bool:
        return self._previous

    def has_other_pages(self) -> bool:
        return self.has_previous() or self.has_next()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return max(self.number - 1, 1)
