"""The ledger of a unit and year as a workbook: the totals per source, then the income and the spending by kind
(columns: the sources). Headings in Vietnamese whatever the user's language, as the paper reports are."""

from __future__ import annotations

from typing import Any, BinaryIO

import xlsxwriter

from treem.core.spreadsheet import write_text

from .ledger import KindRow, Ledger, SourceRow


def _source_name(row: SourceRow) -> str:
    return row.source.name_vi if row.source else "Chưa rõ nguồn"


def write_ledger_xlsx(out: BinaryIO, ledger: Ledger) -> None:
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "#,##0"})
    money_bold = book.add_format({"num_format": "#,##0", "bold": True})
    ws = book.add_worksheet("Theo nguồn")
    write_text(ws, 0, 0, f"Kinh phí năm {ledger.year}: {ledger.unit.full_path or ledger.unit.name}", bold)
    for col, head in enumerate(["Nguồn kinh phí", "Thu (đồng)", "Chi (đồng)", "Còn lại (đồng)"]):
        write_text(ws, 2, col, head, bold)
    row = 3
    for line in ledger.sources:
        write_text(ws, row, 0, _source_name(line))
        ws.write_number(row, 1, line.income, money)
        ws.write_number(row, 2, line.spent, money)
        ws.write_number(row, 3, line.balance, money)
        row += 1
    write_text(ws, row, 0, "Tổng cộng", bold)
    for col, value in enumerate((ledger.total_income, ledger.total_spent, ledger.balance), start=1):
        ws.write_number(row, col, value, money_bold)
    ws.set_column(0, 0, 36)
    ws.set_column(1, 3, 16)
    for title, rows in (("Thu theo loại", ledger.income), ("Chi theo loại", ledger.spending)):
        _write_kinds(book.add_worksheet(title), ledger, rows, bold, money, money_bold)
    book.close()


def _write_kinds(ws: Any, ledger: Ledger, rows: list[KindRow], bold: Any, money: Any, total: Any) -> None:
    heads = ["Loại", "Số bản ghi", *(_source_name(s) for s in ledger.used), "Tổng (đồng)"]
    for col, head in enumerate(heads):
        write_text(ws, 0, col, head, bold)
    keys = ledger.keys
    for r, kind in enumerate(rows, start=1):
        write_text(ws, r, 0, kind.label)
        ws.write_number(r, 1, kind.count)
        for c, amount in enumerate(ledger.cells(kind), start=2):
            ws.write_number(r, c, amount, money)
        ws.write_number(r, len(keys) + 2, kind.total, total)
    last = len(rows) + 1
    write_text(ws, last, 0, "Tổng cộng", bold)
    for c, value in enumerate(ledger.column(rows), start=2):
        ws.write_number(last, c, value, total)
    ws.write_number(last, len(keys) + 2, sum(k.total for k in rows), total)
    ws.set_column(0, 0, 40)
    ws.set_column(1, len(keys) + 2, 15)
