"""Sections other apps add to a unit's periodic report, after the outline's own ("activities this period" from
`activities`): registered from their AppConfig.ready(); reporting never imports them.

A provider is called as `fn(*, unit, start, end)` (the report's unit and its period's first and last days) and
returns a `core.documents.Section` (heading, paragraphs, tables) or None (nothing to add). It reads the records of the
unit and below it, whoever reads the report (the report is the unit's document), must not write, and must be cheap.
The page shows the sections and the PDF/DOCX document prints them. Like the figures, they are frozen on submission
(`Report.added_sections`, in Vietnamese, the document's language): a draft or a report returned for correction reads
them when shown, a submitted or approved one shows them as they were sent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from django.utils import translation

from treem.core.documents import Row, RowKind, Section, Table

from .models import Report

type SectionProvider = Callable[..., Section | None]

_PROVIDERS: list[SectionProvider] = []


def register_section(fn: SectionProvider) -> SectionProvider:
    """Register a provider of a report section (once, however often `ready()` runs). Returns `fn`."""
    if fn not in _PROVIDERS:
        _PROVIDERS.append(fn)
    return fn


def unregister_section(fn: SectionProvider) -> None:
    if fn in _PROVIDERS:
        _PROVIDERS.remove(fn)


def _read(report: Report) -> list[Section]:
    period = report.cycle.period_obj
    found = (fn(unit=report.unit, start=period.start, end=period.end) for fn in _PROVIDERS)
    return [s for s in found if s is not None]


def frozen_sections(report: Report) -> list[dict[str, Any]]:
    """The registered sections as they read now, in Vietnamese, as JSON: what `submit` keeps."""
    with translation.override("vi"):
        return [asdict(s) for s in _read(report)]


def _thawed(data: dict[str, Any]) -> Section:
    tables = (
        Table(
            t["caption"], tuple(t["columns"]), tuple(Row(tuple(r["cells"]), RowKind(r["kind"])) for r in t["rows"]),
            tuple(t["notes"]), tuple(t["widths"]),
        )
        for t in data["tables"]
    )  # fmt: skip
    subsections = tuple(_thawed(s) for s in data["subsections"])
    return Section(data["heading"], tuple(data["paragraphs"]), tuple(tables), subsections, data["numbered"])


def extra_sections(report: Report) -> list[Section]:
    """The registered sections for the report's unit and period, in the order they were registered: read now for a
    report still being written, as frozen on submission for one sent (submitted or approved)."""
    if report.is_editable or report.added_sections is None:
        return _read(report)
    return [_thawed(s) for s in report.added_sections]
