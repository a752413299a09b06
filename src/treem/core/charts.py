"""Horizontal SVG bar charts drawn without JavaScript: the geometry a page's `<svg>` needs (a label left of each bar,
the bar, its value written after it). Each page gives its layout and its bars; the template only places them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple


@dataclass(frozen=True, slots=True)
class Layout:
    label: int  # room for the labels, left of the bars
    bar: int  # the length of a full bar (share 1)
    row: int  # the height of a row
    width: int  # the width of the drawing


class BarItem(NamedTuple):
    label: str
    text: str  # the value written after the bar
    share: float  # of the full bar, 0 to 1; 0: no bar
    tone: str = ""  # a CSS class of the bar or its value (e.g. a late or a hidden figure)
    title: str = ""  # the tooltip's name, when the label is shortened; the label otherwise


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    text: str
    title: str
    tone: str
    width: int
    bar_y: int
    text_y: int
    value_x: int


@dataclass(frozen=True, slots=True)
class Chart:
    bars: tuple[Bar, ...]
    height: int
    width: int
    label_x: int
    bar_x: int
    bar_height: int
    full_width: int  # of a full bar, for a track behind the bar


def shorten(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(items: Sequence[BarItem], layout: Layout) -> Chart | None:
    """The chart of the items, one row each, top to bottom; None without items."""
    if not items:
        return None
    bars = []
    for i, item in enumerate(items):
        y = i * layout.row
        width = round(item.share * layout.bar)
        bars.append(
            Bar(
                label=item.label,
                text=item.text,
                title=item.title or item.label,
                tone=item.tone,
                width=width,
                bar_y=y + 4,
                text_y=y + layout.row // 2 + 5,
                value_x=layout.label + width + 6,
            )
        )
    return Chart(
        bars=tuple(bars), height=len(bars) * layout.row, width=layout.width, label_x=layout.label - 6,
        bar_x=layout.label, bar_height=layout.row - 8, full_width=layout.bar,
    )  # fmt: skip
