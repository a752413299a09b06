"""The periodic report's section on the budget (`reporting.sections.register_section`, registered from
`ReportingConfig.ready()`; finance never imports reporting): the ledger of the report's unit and below it for the
report's period (`ledger.period_ledger`, the same computation as the ledger page), by source and by kind of spending.
Nothing is added when the period has no money."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from treem.core.documents import Row, RowKind, Section, Table
from treem.units.models import Unit

from .ledger import period_ledger


def _vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def budget_section(*, unit: Unit, start: dt.date, end: dt.date) -> Section | None:
    book = period_ledger(unit=unit, start=start, end=end)
    if not book.used:
        return None
    years = ", ".join(str(y) for y in range(start.year, end.year + 1))
    paragraphs = (
        _(
            "Funds of %(years)s: %(income)s VND; spent from %(start)s to %(end)s: %(spent)s VND; balance %(balance)s "
            "VND."
        )
        % {
            "years": years,
            "income": _vnd(book.total_income),
            "start": f"{start:%d/%m/%Y}",
            "end": f"{end:%d/%m/%Y}",
            "spent": _vnd(book.total_spent),
            "balance": _vnd(book.balance),
        },  # fmt: skip
    )
    by_source = Table(
        _("Funds and spending by source"),
        (_("Source of funds"), _("Funds (VND)"), _("Spent (VND)"), _("Balance (VND)")),
        rows=(
            *(
                Row(
                    (
                        str(r.source) if r.source else _("Source not given"),
                        _vnd(r.income),
                        _vnd(r.spent),
                        _vnd(r.balance),
                    )
                )
                for r in book.used
            ),
            Row((_("Total"), _vnd(book.total_income), _vnd(book.total_spent), _vnd(book.balance)), RowKind.TOTAL),
        ),  # fmt: skip
        notes=(
            _(
                "Funds: the allocations of the year and the donations received in the period; spending as recorded "
                "by the activities and the support programmes, in the period."
            ),
        ),  # fmt: skip
    )
    tables = [by_source]
    if book.spending:
        tables.append(
            Table(
                _("Spending by kind"),
                (_("Kind"), _("Records"), _("Spent (VND)")),
                rows=(
                    *(Row((r.label, str(r.count), _vnd(r.total))) for r in book.spending),
                    Row((_("Total"), str(sum(r.count for r in book.spending)), _vnd(book.total_spent)), RowKind.TOTAL),
                ),  # fmt: skip
            )
        )
    return Section(_("Budget and spending"), paragraphs=paragraphs, tables=tuple(tables))
