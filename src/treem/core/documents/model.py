"""The parts of a Vietnamese administrative document (thể thức văn bản hành chính, Nghị định 30/2020/NĐ-CP).

Plain frozen dataclasses, filled by the caller with text that is already formatted (numbers, dates in cells);
the renderers (`render_pdf`, `render_docx`) lay them out. Every text is normalised to NFC and cleared of the
control characters that XML (and so Word) refuses, once, here, so both formats print the same characters.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "AdminDocument",
    "MOTTO",
    "NATIONAL_NAME",
    "RECIPIENTS_TITLE",
    "Block",
    "Row",
    "RowKind",
    "Section",
    "Signature",
    "Table",
    "body_blocks",
    "clean_text",
    "date_words",
    "is_numeric",
    "place_date_line",
    "recipient_lines",
    "section_number",
]

# The fixed words, prescribed in Vietnamese by the decree whatever the user's language (not translated).
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
RECIPIENTS_TITLE = "Nơi nhận:"

# C0 controls other than tab and line feed (XML 1.0 refuses them; a carriage return becomes a line feed).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def clean_text(value: object) -> str:
    """`value` as NFC text without the control characters XML refuses; line breaks kept as "\\n"."""
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", _CONTROL.sub("", text))


def _texts(values: Iterable[object]) -> tuple[str, ...]:
    return tuple(clean_text(v) for v in values)


def _set(obj: object, name: str, value: object) -> None:
    object.__setattr__(obj, name, value)  # normalising a frozen dataclass in __post_init__


class RowKind(StrEnum):
    DATA = "data"
    HEADING = "heading"  # a group heading inside the table (bold; a single cell spans the whole row)
    TOTAL = "total"  # a total or subtotal row (bold)


@dataclass(frozen=True, slots=True)
class Row:
    cells: tuple[str, ...]
    kind: RowKind = RowKind.DATA

    def __post_init__(self) -> None:
        _set(self, "cells", _texts(self.cells))
        _set(self, "kind", RowKind(self.kind))


@dataclass(frozen=True, slots=True)
class Table:
    """A table of the body. `rows` takes `Row`s or plain sequences of strings (data rows); `widths` are relative
    column widths (e.g. (4, 1, 1)); by default the first column, which names the rows, is 2.5 times the others."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...] = ()
    notes: tuple[str, ...] = ()
    widths: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        if not self.columns:
            raise ValueError(f"table {self.caption!r} has no columns")
        if self.widths and (len(self.widths) != len(self.columns) or min(self.widths) <= 0):
            raise ValueError(f"table {self.caption!r} needs one positive width per column")
        _set(self, "widths", tuple(float(w) for w in self.widths))
        _set(self, "caption", clean_text(self.caption))
        _set(self, "columns", _texts(self.columns))
        rows = tuple(r if isinstance(r, Row) else Row(cells=tuple(r)) for r in self.rows)
        for row in rows:
            spans = row.kind == RowKind.HEADING and len(row.cells) == 1
            if not spans and len(row.cells) != len(self.columns):
                raise ValueError(
                    f"a row of {self.caption!r} has {len(row.cells)} cells for {len(self.columns)} columns"
                )
        _set(self, "rows", rows)
        _set(self, "notes", _texts(self.notes))

    @property
    def percentages(self) -> tuple[float, ...]:
        """Each column's share of the table's width, in per cent (summing to 100)."""
        weights = self.widths or (2.5 if len(self.columns) > 1 else 1.0,) + (1.0,) * (len(self.columns) - 1)
        total = sum(weights)
        return tuple(round(100 * w / total, 2) for w in weights)


@dataclass(frozen=True, slots=True)
class Section:
    """A numbered part of the body: I., II. at the top level, then 1., 2., then a), b) (`numbered=False` for none).

    Within a section: its paragraphs, then its tables, then its subsections. A paragraph's "\\n" is a line break.
    """

    heading: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    subsections: tuple[Section, ...] = ()
    numbered: bool = True

    def __post_init__(self) -> None:
        _set(self, "heading", clean_text(self.heading))
        _set(self, "paragraphs", _texts(self.paragraphs))
        _set(self, "tables", tuple(self.tables))
        _set(self, "subsections", tuple(self.subsections))


@dataclass(frozen=True, slots=True)
class Signature:
    """The signature block: `authority_line` "KT. CHỦ TỊCH" / "TM. ỦY BAN NHÂN DÂN" or "" when the head signs
    in their own name; `position` "PHÓ CHỦ TỊCH"; `full_name` as written (first letters capital)."""

    authority_line: str
    position: str
    full_name: str

    def __post_init__(self) -> None:
        _set(self, "authority_line", clean_text(self.authority_line).upper())
        _set(self, "position", clean_text(self.position).upper())
        _set(self, "full_name", clean_text(self.full_name))


@dataclass(frozen=True, slots=True)
class AdminDocument:
    """One document. `number` is what follows "Số: " (e.g. "15/BC-UBND", or "    /BC-UBND" for a draft);
    `date` None leaves the date blank ("ngày …… tháng …… năm ……") for the signer to fill in;
    `recipients` are plain names ("Như trên", "Lưu: VT"): the renderer adds the dash and the ";" / "."."""

    governing_body: str
    issuing_body: str
    number: str
    place: str
    date: dt.date | None
    kind_title: str
    summary: str
    sections: tuple[Section, ...] = ()
    recipients: tuple[str, ...] = ()
    signature: Signature = field(default_factory=lambda: Signature("", "", ""))

    def __post_init__(self) -> None:
        for name in ("governing_body", "issuing_body", "kind_title"):
            _set(self, name, clean_text(getattr(self, name)).upper())  # upper case by the decree
        for name in ("number", "place", "summary"):
            _set(self, name, clean_text(getattr(self, name)))
        _set(self, "sections", tuple(self.sections))
        _set(self, "recipients", _texts(self.recipients))

    @property
    def place_date(self) -> str:
        return place_date_line(self.place, self.date)

    @property
    def number_line(self) -> str:
        return f"Số: {self.number}"


def date_words(d: dt.date | None) -> str:
    """The date in words, "ngày 05 tháng 02 năm 2025": a leading 0 for days below 10 and for January and
    February (NĐ 30/2020); blank dots when there is no date yet."""
    if d is None:
        return "ngày …… tháng …… năm ……"
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


def place_date_line(place: str, d: dt.date | None) -> str:
    """The place-and-date line, e.g. "Mường Tè, ngày 10 tháng 11 năm 2025"."""
    place = clean_text(place).strip()
    return f"{place}, {date_words(d)}" if place else date_words(d)


def recipient_lines(recipients: Sequence[str]) -> list[str]:
    """The recipients as printed, "- Như trên;" … "- Lưu: VT.": a dash before each, ";" after each but the last,
    "." after the last."""
    names = [r.strip().lstrip("-").strip().rstrip(";.").rstrip() for r in recipients]
    names = [n for n in names if n]
    return [f"- {n}{'.' if i == len(names) - 1 else ';'}" for i, n in enumerate(names)]


_ROMAN = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip


def _roman(n: int) -> str:
    out = []
    for value, letters in _ROMAN:
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


def _letter(n: int) -> str:  # a, b, …, z, then aa, ab, …
    out = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def section_number(depth: int, index: int) -> str:
    """The number put before a heading: "I." at depth 0, "1." at depth 1, "a)" at depth 2, "-" below (index from 1)."""
    if depth == 0:
        return f"{_roman(index)}."
    if depth == 1:
        return f"{index}."
    if depth == 2:
        return f"{_letter(index)})"
    return "-"


@dataclass(frozen=True, slots=True)
class Block:
    """One piece of the body in reading order, for the renderers: a heading, a paragraph or a table."""

    kind: str  # "heading" | "paragraph" | "table"
    depth: int
    number: str = ""
    text: str = ""
    table: Table | None = None

    @property
    def line(self) -> str:
        """A heading as printed, its number first ("I. Kết quả")."""
        return f"{self.number} {self.text}".strip()


def body_blocks(sections: Sequence[Section], depth: int = 0) -> list[Block]:
    """The sections flattened in reading order, each heading with its number ("I.", "1.", "a)")."""
    blocks: list[Block] = []
    index = 0
    for section in sections:
        number = ""
        if section.numbered:
            index += 1
            number = section_number(depth, index)
        if section.heading:
            blocks.append(Block("heading", depth, number=number, text=section.heading))
        blocks.extend(Block("paragraph", depth, text=p) for p in section.paragraphs)
        blocks.extend(Block("table", depth, table=t) for t in section.tables)
        blocks.extend(body_blocks(section.subsections, depth + 1))
    return blocks


_NUMERIC = re.compile(r"^[-+−]?[\d.,\s%]*\d[\d.,\s%]*$")


def is_numeric(cell: str) -> bool:
    """A figure ("1.234", "12,5%", "-3"): right-aligned in tables."""
    return bool(_NUMERIC.match(cell.strip()))


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    num: bool  # a figure, right-aligned (never the first column, which names the row)


@dataclass(frozen=True, slots=True)
class RowView:
    kind: str
    span: bool  # a heading row of one cell spanning every column
    cells: tuple[Cell, ...]


_NO_FIGURE = frozenset({"", "-", "–", "—", "x", "X", "…"})  # a figure's placeholders: none, not applicable


def figure_columns(table: Table) -> frozenset[int]:
    """The columns (never the first, which names the rows) whose every cell is a figure or a placeholder, with at
    least one figure: right-aligned, placeholders included."""
    cells = [row.cells for row in table.rows if len(row.cells) == len(table.columns)]
    return frozenset(
        i
        for i in range(1, len(table.columns))
        if any(is_numeric(c[i]) for c in cells) and all(is_numeric(c[i]) or c[i].strip() in _NO_FIGURE for c in cells)
    )


def row_views(table: Table) -> list[RowView]:
    """The table's rows as the renderers lay them out: alignment per cell, spanning heading rows."""
    figures = figure_columns(table)
    return [
        RowView(
            kind=row.kind.value,
            span=row.kind == RowKind.HEADING and len(row.cells) == 1 and len(table.columns) > 1,
            cells=tuple(
                Cell(text, num=i in figures or (i > 0 and is_numeric(text))) for i, text in enumerate(row.cells)
            ),
        )
        for row in table.rows
    ]
