"""Sections other apps add to a unit's periodic report, after the outline's own ("activities this period" from
`activities`): registered from their AppConfig.ready(); reporting never imports them.

A provider is called as `fn(*, unit, start, end)` (the report's unit and its period's first and last days) and
returns a `core.documents.Section` (heading, paragraphs, tables) or None (nothing to add). It reads the records of the
unit and below it, whoever reads the report (the report is the unit's document), must not write, and must be cheap.
The page shows the sections and the PDF/DOCX document prints them; they are read when shown (the figures of the
indicators are what a submission freezes).
"""

from __future__ import annotations

from collections.abc import Callable

from treem.core.documents import Section

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


def extra_sections(report: Report) -> list[Section]:
    """The registered sections for the report's unit and period, in the order they were registered."""
    period = report.cycle.period_obj
    found = (fn(unit=report.unit, start=period.start, end=period.end) for fn in _PROVIDERS)
    return [s for s in found if s is not None]
