"""A report (a unit's own or a consolidated one) as a Vietnamese administrative document (Nghị định 30/2020):
issuing body and number top left, the national motto top right, place and date, title, the outline's sections with
the indicator table, recipients ("Nơi nhận") and the signature block. Rendered by `treem.core.documents` as PDF and
DOCX; the document is in Vietnamese whatever the reader's language, as the decree prescribes."""

from __future__ import annotations

from django.utils import translation

from treem.core.dates import date_vn
from treem.core.documents import AdminDocument, Row, Section, Signature, Table, render_docx, render_pdf
from treem.units.models import Level, Unit

from . import selectors, services
from .models import Report
from .sections import extra_sections

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FIGURES_SECTION = "situation"  # the outline section the indicator table goes under (else a section of its own)


def _council(unit: Unit) -> str:
    """ "Ủy ban nhân dân xã Khun Há": the people's committee of the unit, its type word in lower case."""
    kind = (unit.unit_type or "").strip()
    name = unit.short_name or unit.name
    return f"Ủy ban nhân dân {kind.lower()} {name}".replace("  ", " ") if kind else f"Ủy ban nhân dân {unit.name}"


def _summary(report: Report) -> str:
    rtype, period = report.cycle.report_type, report.cycle.period_obj
    title = (rtype.title_vi or rtype.name_vi).format(year=period.year, number=period.number)
    rest = title.removeprefix("Báo cáo").strip()
    return rest[:1].upper() + rest[1:] if rest else rtype.name_vi


def _recipients(unit: Unit) -> tuple[str, ...]:
    parent = unit.parent
    if unit.level == Level.PROVINCE or parent is None or parent.level == Level.NATION:
        above = "Bộ Y tế (Cục Bà mẹ và Trẻ em)"
    else:
        above = f"{_council(parent)} (b/c)"
    return (above, "Lưu: VT")


def _signature(report: Report) -> Signature:
    lines = [line.strip() for line in report.signer_title.splitlines() if line.strip()]
    authority, position = (lines[0], " ".join(lines[1:])) if len(lines) > 1 else ("", lines[0] if lines else "")
    return Signature(authority, position, report.signer_name)


def _table(report: Report, *, exact: bool) -> Table | None:
    rows = selectors.figure_rows(report, exact=exact, number=selectors.vn_number)
    if not rows:
        return None
    cut_off = report.cycle.cut_off or report.cycle.period_obj.end
    notes = [f"Số liệu kỳ {report.cycle.code}, tính đến ngày {cut_off:%d/%m/%Y}."]
    if report.consolidated:  # what the frozen sum holds, not the sub-units' statuses today
        approved = {r.unit_id for r in services.approved_reports(report.cycle, report.unit, as_of=report.figures_at)}
        missing = [u.name for u in services.reporting_units(report.cycle, report.unit) if u.pk not in approved]
        notes.append(f"Tổng hợp từ {len(approved)} báo cáo đã duyệt của các đơn vị cấp dưới.")
        if missing:
            notes.append("Chưa có báo cáo được duyệt: " + ", ".join(missing) + ".")
    return Table(
        "Biểu số liệu",
        ("Chỉ tiêu", "Tổng số", "Chia theo"),
        rows=tuple(Row((r.indicator.name_vi, r.total, "; ".join(f"{k}: {v}" for k, v in r.parts))) for r in rows),
        notes=tuple(notes),
    )


def build(report: Report, *, exact: bool = True) -> AdminDocument:
    with translation.override("vi"):
        unit = report.unit
        table = _table(report, exact=exact)
        sections: list[Section] = []
        placed = table is None
        for s in report.cycle.report_type.sections():
            text = report.narratives.get(s["code"], "")
            tables: tuple[Table, ...] = ()
            if table is not None and not placed and s["code"] == FIGURES_SECTION:
                tables, placed = (table,), True
            sections.append(
                Section(s["title"].upper(), paragraphs=tuple(p for p in text.split("\n\n") if p), tables=tables)
            )
        sections += [
            Section(s.heading.upper(), s.paragraphs, s.tables, s.subsections, s.numbered)
            for s in extra_sections(report)
        ]
        if not placed and table is not None:
            sections.append(Section("SỐ LIỆU", tables=(table,)))
        parent = unit.parent
        governing = _council(parent) if parent is not None and parent.level != Level.NATION else ""
        when = report.submitted_at or report.first_submitted_at
        return AdminDocument(
            governing_body=governing,
            issuing_body=_council(unit),
            number=report.number or "     /BC-UBND",
            place=unit.short_name or unit.name,
            date=date_vn(when) if when else None,
            kind_title="Báo cáo",
            summary=_summary(report),
            sections=tuple(sections),
            recipients=_recipients(unit),
            signature=_signature(report),
        )


def pdf(report: Report, *, exact: bool = True) -> bytes:
    return render_pdf(build(report, exact=exact))


def docx(report: Report, *, exact: bool = True) -> bytes:
    return render_docx(build(report, exact=exact))
