"""The one ledger of a unit's money for a year: income (allocations entered here, plus income other apps record, such
as the Child Protection Fund's donations) against spending by source and by kind, where the spending is read from
the apps that record it first-hand (support's deliveries and fund spending, activities' costs). No figure is entered
twice: finance stores allocations only and asks the registered providers for the rest.

Providers register in their `AppConfig.ready()` (finance never imports them: they import finance):

    from treem.finance.ledger import Flow, register_spending

    def activity_costs(*, path: str, start: dt.date, end: dt.date) -> Iterable[Flow]: ...

    register_spending(activity_costs)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from treem.units.models import Unit

from .models import Allocation, FundingSource


@dataclass(frozen=True, slots=True)
class Flow:
    """A total of money a provider reports for the subtree and the days asked.

    kind: a stable key "<app>.<what>" (e.g. "activities.campaign", "support.delivery.gift", "support.fund"): the
        ledger's rows by kind; two providers never use the same key.
    label: what the ledger shows for the kind (a translated string, or a lazy one).
    source_id: the pk of the `finance.FundingSource` that paid (or received) it; None when the record gives none.
    amount: VND, whole đồng, >= 0.
    count: how many records make the amount (deliveries, activities…), shown beside it.
    """

    kind: str
    label: str
    source_id: int | None
    amount: int
    count: int = 1


type Provider = Callable[..., Iterable[Flow]]

_SPENDING: list[Provider] = []
_INCOME: list[Provider] = []


def register_spending(fn: Provider) -> Provider:
    """Register a provider of money spent, called as `fn(*, path=..., start=..., end=...)` and returning `Flow`s.

    - `path` (str): a unit's materialised path; report every record whose unit's path starts with it (the unit and
      everything below it, e.g. `record.unit_path.startswith(path)` or `unit_path__path_prefix=path`). Do not filter
      by any user's scope: finance shows the ledger only of a unit in the viewer's scope.
    - `start`, `end` (datetime.date, both included): report the money spent on those days (the date the money went
      out: the delivery's date, the activity's date).
    - Return `Flow` totals, grouped as you like (one per kind and source is best: the ledger sums them). An amount is
      reported by one provider only: report what your app records first-hand, never a copy of another app's figure
      (support reports a fund spending that paid a delivery once, as the delivery).
    - Must not write, must be cheap (a few aggregate queries), and must not fail on an empty database.

    Registering the same function twice keeps one. Returns `fn` (usable as a decorator)."""
    if fn not in _SPENDING:
        _SPENDING.append(fn)
    return fn


def register_income(fn: Provider) -> Provider:
    """Register a provider of money received other than finance's allocations (the Child Protection Fund's
    donations): the same interface as `register_spending`, the days being those the money came in."""
    if fn not in _INCOME:
        _INCOME.append(fn)
    return fn


ALLOCATION_KIND = "finance.allocation"


@dataclass(slots=True)
class KindRow:
    """Money of one kind, by source (source pk or None -> VND), with its total and count."""

    kind: str
    label: str
    by_source: dict[int | None, int] = field(default_factory=dict)
    count: int = 0

    @property
    def total(self) -> int:
        return sum(self.by_source.values())


@dataclass(frozen=True, slots=True)
class SourceRow:
    source: FundingSource | None  # None: the records give no source
    income: int
    spent: int

    @property
    def balance(self) -> int:
        return self.income - self.spent


@dataclass(frozen=True, slots=True)
class Ledger:
    unit: Unit
    year: int  # the year of the first day
    sources: list[SourceRow]  # every active source, and any other that has money; "not given" last when it has
    income: list[KindRow]  # allocations first, then what the providers report
    spending: list[KindRow]
    start: dt.date | None = None  # the days asked (both included)
    end: dt.date | None = None

    @property
    def total_income(self) -> int:
        return sum(r.income for r in self.sources)

    @property
    def total_spent(self) -> int:
        return sum(r.spent for r in self.sources)

    @property
    def balance(self) -> int:
        return self.total_income - self.total_spent

    @property
    def used(self) -> list[SourceRow]:
        """The sources with money this year: the columns of the tables by kind."""
        return [s for s in self.sources if s.income or s.spent]

    @property
    def keys(self) -> list[int | None]:
        """The source pk of each of `used`, in order (None: not given)."""
        return [s.source.pk if s.source else None for s in self.used]

    def cells(self, row: KindRow) -> list[int]:
        """The amounts of a kind per source, in the order of `used`."""
        return [row.by_source.get(key, 0) for key in self.keys]

    def column(self, rows: list[KindRow]) -> list[int]:
        """Totals of `rows` per source, in the order of `used`."""
        return [sum(r.by_source.get(key, 0) for r in rows) for key in self.keys]

    def table(self, rows: list[KindRow]) -> list[tuple[KindRow, list[int]]]:
        return [(row, self.cells(row)) for row in rows]


def _collect(providers: Iterable[Provider], path: str, start: dt.date, end: dt.date) -> list[KindRow]:
    rows: dict[str, KindRow] = {}
    for provider in providers:
        for flow in provider(path=path, start=start, end=end):
            if not flow.amount and not flow.count:
                continue
            row = rows.setdefault(flow.kind, KindRow(flow.kind, str(flow.label)))
            row.by_source[flow.source_id] = row.by_source.get(flow.source_id, 0) + flow.amount
            row.count += flow.count
    return sorted(rows.values(), key=lambda r: (r.label, r.kind))


def allocation_flows(*, path: str, year: int) -> list[Flow]:
    qs = Allocation.objects.filter(unit_path__path_prefix=path, year=year).values("source_id")
    return [
        Flow(ALLOCATION_KIND, str(_("Allocations")), row["source_id"], row["amount"], row["n"])
        for row in qs.annotate(amount=Sum("amount"), n=Count("pk")).order_by("source_id")
    ]


def ledger(*, unit: Unit, year: int) -> Ledger:
    """The ledger of `unit` and everything below it for `year` (1 January to 31 December). The caller checks that
    the unit is in the viewer's scope."""
    return period_ledger(unit=unit, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))


def period_ledger(*, unit: Unit, start: dt.date, end: dt.date) -> Ledger:
    """The ledger of `unit` and everything below it from `start` to `end` (both included; a report's period): the
    allocations of the years those days fall in (an allocation is for a whole year), the providers' money of those
    days. The caller checks that the unit is in the viewer's scope."""
    years = range(start.year, end.year + 1)
    allocated = _collect(
        [lambda **_kw: [f for y in years for f in allocation_flows(path=unit.path, year=y)]], unit.path, start, end
    )
    income = allocated + _collect(_INCOME, unit.path, start, end)
    spending = _collect(_SPENDING, unit.path, start, end)
    used: set[int | None] = {k for r in (*income, *spending) for k, v in r.by_source.items() if v}
    sources = [s for s in FundingSource.objects.all() if s.is_active or s.pk in used]
    rows: list[SourceRow] = []
    for source in [*sources, *([None] if None in used else [])]:
        key = source.pk if source else None
        rows.append(
            SourceRow(
                source,
                sum(r.by_source.get(key, 0) for r in income),
                sum(r.by_source.get(key, 0) for r in spending),
            )
        )
    return Ledger(unit, start.year, rows, income, spending, start, end)
