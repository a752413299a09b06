"""The work on reports: opening a cycle, a unit's report (figures pre-filled from the indicators and frozen on
submission, narratives, attachments), submit / return / approve, consolidation of the approved sub-unit reports.

Every step is dated and signed (a `ReportStep`) and written to the audit log in the same transaction. Who may do what:
a unit's own users with `reports.submit` edit and submit its report; the users of the unit above with
`reports.review` return or approve it. The views check the same rules (`may_edit`, `may_review`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from treem.accounts import capabilities as cap
from treem.accounts.models import User
from treem.accounts.scope import is_unrestricted, scope_root
from treem.audit.models import Action
from treem.audit.services import audit_record
from treem.core.periods import Period
from treem.core.uploads import check_document
from treem.indicators.models import MULTIPLIER, Indicator, Measure
from treem.indicators.publish import values_for
from treem.indicators.services import compute
from treem.units.models import Structure, Unit

from .models import Attachment, Cycle, Report, ReportStep, ReportType, Status
from .sections import frozen_sections

type Figures = dict[str, dict[str, list[float | None]]]  # indicator code -> disagg -> [value, numerator, denominator]

DEFAULT_SIGNER_TITLE = "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"  # a vice-chairman signs on the chairman's behalf


# --- cycles ---------------------------------------------------------------------------------------------------------


def cycle_code(report_type: ReportType, period: str) -> str:
    return f"{report_type.cycle_prefix}{period}"


def deadlines_of(report_type: ReportType, period: str, structure: str, event: dt.date | None = None) -> dict[str, str]:
    """The deadline of each level the report passes, from the type's rules: {level: yyyy-mm-dd}."""
    p = Period.parse(period)
    out: dict[str, str] = {}
    for rule in report_type.deadlines.filter(structure=structure):
        day = rule.deadline(p, event)
        if day is not None:
            out[rule.level] = day.isoformat()
    return out


@transaction.atomic
def open_cycle(
    *,
    report_type: ReportType,
    period: str,
    actor: User | None = None,
    structure: str = Structure.CURRENT,
    event_date: dt.date | None = None,
    deadlines: dict[str, str] | None = None,
    cut_off: dt.date | None = None,
) -> Cycle:
    """A new round of a report type for a period (its deadlines from the type's rules unless given)."""
    p = Period.parse(period)
    cycle = Cycle.objects.create(
        code=cycle_code(report_type, str(p)), report_type=report_type, period=str(p), structure=structure,
        cut_off=cut_off or p.end, event_date=event_date, reminder_days=report_type.reminder_days,
        deadlines=deadlines if deadlines is not None else deadlines_of(report_type, str(p), structure, event_date),
    )  # fmt: skip
    audit_record(
        actor=actor, action=Action.CREATE, target_type="cycle", target_id=cycle.pk, unit_path="",
        summary=f"Mở kỳ báo cáo {cycle.code}: {report_type.name_vi}", extra={"deadlines": cycle.deadlines},
    )  # fmt: skip
    return cycle


def _reporting_units(cycle: Cycle, parent: Unit) -> QuerySet[Unit]:
    levels = list(cycle.deadlines)
    return Unit.objects.filter(parent=parent, is_active=True, structure=cycle.structure, level__in=levels)


def reporting_units(cycle: Cycle, parent: Unit) -> list[Unit]:
    """The direct sub-units of `parent` that owe a report in the cycle (their level has a deadline)."""
    return list(_reporting_units(cycle, parent).order_by("code"))


# --- who may do what ------------------------------------------------------------------------------------------------


def may_start(user: User, cycle: Cycle, unit: Unit) -> bool:
    """A unit's own users with `reports.submit` start its report, when its level reports in the cycle."""
    root = scope_root(user)
    return bool(
        user.has_capability(cap.REPORTS_SUBMIT)
        and root is not None
        and root.pk == unit.pk
        and str(unit.level) in cycle.deadlines
    )


def may_edit(user: User, report: Report) -> bool:
    """The unit's own users with `reports.submit`, while the report is a draft or returned."""
    root = scope_root(user)
    return bool(
        report.is_editable
        and user.has_capability(cap.REPORTS_SUBMIT)
        and root is not None
        and root.pk == report.unit_id
    )


def may_review(user: User, report: Report) -> bool:
    """The users of the unit above with `reports.review`, once the report is submitted."""
    if report.status != Status.SUBMITTED or not user.has_capability(cap.REPORTS_REVIEW):
        return False
    root = scope_root(user)
    if root is None:
        return is_unrestricted(user)
    return root.pk == report.unit.parent_id


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _step(report: Report, action: str, actor: User, *, comment: str = "", request: Any = None) -> ReportStep:
    now = timezone.now()
    step = ReportStep.objects.create(
        report=report, action=action, actor=actor, actor_name=actor.get_full_name() or actor.username, at=now,
        comment=comment,
    )  # fmt: skip
    audit_record(
        actor=actor, action=Action.TRANSITION if action != ReportStep.Action.CREATED else Action.CREATE,
        target_type="report", target_id=report.pk, unit_path=report.unit_path, request=request,
        summary=f"Báo cáo {report.cycle.code} của {report.unit.name}: {step.get_action_display()}",
        extra={"cycle": report.cycle.code, "step": action, "status": report.status, "comment": comment},
    )  # fmt: skip
    return step


# --- figures --------------------------------------------------------------------------------------------------------


def indicators_of(report_type: ReportType, *, keep: Iterable[str] = ()) -> list[Indicator]:
    """The type's active indicators in its order; with `keep` (the codes of frozen figures), those indicators too,
    retired or not: a snapshot is shown and summed by its own indicators' measures."""
    kept = set(keep)
    codes = [*report_type.indicators, *sorted(kept - set(report_type.indicators))]
    found = {i.code: i for i in Indicator.objects.filter(code__in=codes) if i.is_active or i.code in kept}
    return [found[c] for c in codes if c in found]


def stored_figures(cycle: Cycle, unit: Unit) -> Figures:
    """The indicators' stored values of the cycle's period for the unit itself, every breakdown."""
    inds = indicators_of(cycle.report_type)
    code_of = {i.pk: i.code for i in inds}
    out: Figures = defaultdict(dict)
    for v in values_for(cycle.period, unit, indicators=inds, depth=0):
        if v.unit_id == unit.pk:
            out[code_of[v.indicator_id]][v.disagg] = [v.value, v.numerator, v.denominator]
    return dict(out)


def sum_figures(snapshots: Iterable[Figures], indicators: Iterable[Indicator]) -> Figures:
    """Counts summed; a ratio from its summed numerator and denominator (never an average of ratios)."""
    measure = {i.code: Measure(i.measure) for i in indicators}
    parts: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(lambda: [0.0, 0.0, 0.0]))
    for snap in snapshots:
        for code, cells in snap.items():
            for disagg, (value, num, den) in cells.items():
                acc = parts[code][disagg]
                acc[0] += value or 0
                acc[1] += num if num is not None else (value or 0)
                acc[2] += den or 0
    out: Figures = {}
    for code, summed in parts.items():
        m = measure.get(code, Measure.COUNT)
        out[code] = {}
        for disagg, (total, num_sum, den_sum) in summed.items():
            if m == Measure.COUNT:
                out[code][disagg] = [total, num_sum, None]
            elif den_sum:
                out[code][disagg] = [num_sum / den_sum * MULTIPLIER[m], num_sum, den_sum]
    return out


def has_reporting_subunits(cycle: Cycle, unit: Unit) -> bool:
    return _reporting_units(cycle, unit).exists()


def approved_reports(cycle: Cycle, unit: Unit, *, as_of: dt.datetime | None = None) -> list[Report]:
    """The approved sub-unit reports (`as_of`: those approved by then; an approval is final, so these are the
    reports a consolidation made at that moment summed)."""
    subs = [u.pk for u in reporting_units(cycle, unit)]
    qs = Report.objects.filter(cycle=cycle, unit_id__in=subs, status=Status.APPROVED).select_related("unit")
    if as_of is not None:
        qs = qs.filter(reviewed_at__lte=as_of)
    return list(qs.order_by("unit_path"))


def consolidated_figures(cycle: Cycle, unit: Unit) -> Figures:
    """The sum of the frozen figures of the approved sub-unit reports."""
    snapshots = [r.figures for r in approved_reports(cycle, unit)]
    return sum_figures(snapshots, indicators_of(cycle.report_type, keep={c for s in snapshots for c in s}))


def _fill(report: Report) -> None:
    if has_reporting_subunits(report.cycle, report.unit):
        report.figures, report.consolidated = consolidated_figures(report.cycle, report.unit), True
    else:
        report.figures, report.consolidated = stored_figures(report.cycle, report.unit), False
    report.figures_at = timezone.now()


# --- a unit's report ------------------------------------------------------------------------------------------------


def report_of(cycle: Cycle, unit: Unit) -> Report | None:
    return Report.objects.filter(cycle=cycle, unit=unit).select_related("cycle__report_type", "unit").first()


@transaction.atomic
def start_report(*, cycle: Cycle, unit: Unit, actor: User, request: Any = None) -> Report:
    """The unit's report of the cycle, created as a draft with its figures pre-filled (the existing one if any)."""
    existing = report_of(cycle, unit)
    if existing is not None:
        return existing
    _require(may_start(actor, cycle, unit))
    report = Report(cycle=cycle, unit=unit, unit_path=unit.path, signer_title=DEFAULT_SIGNER_TITLE)
    _fill(report)
    report.save()
    _step(report, ReportStep.Action.CREATED, actor, request=request)
    return report


@transaction.atomic
def refresh_figures(*, report: Report, actor: User, recompute: bool = True, request: Any = None) -> Report:
    """Fill the figures again: a lowest-level unit's recomputed from the registry (then read from the stored
    values), an upper unit's summed again from its approved sub-unit reports. Only before submission."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    _require(may_edit(actor, report))
    consolidating = has_reporting_subunits(report.cycle, report.unit)
    if recompute and not consolidating:
        compute(report.cycle.period_obj, [report.unit])
    _fill(report)
    report.save(update_fields=["figures", "figures_at", "consolidated", "updated_at"])
    action = ReportStep.Action.CONSOLIDATED if consolidating else ReportStep.Action.REFRESHED
    _step(report, action, actor, request=request)
    return report


@transaction.atomic
def save_text(
    *,
    report: Report,
    actor: User,
    narratives: dict[str, str],
    number: str | None = None,
    signer_name: str | None = None,
    signer_title: str | None = None,
    request: Any = None,
) -> Report:
    """Save narrative sections (only those of the outline) and the document's number and signer."""
    report = Report.objects.select_for_update().select_related("cycle__report_type").get(pk=report.pk)
    _require(may_edit(actor, report))
    codes = {s["code"] for s in report.cycle.report_type.outline}
    unknown = set(narratives) - codes
    if unknown:
        raise ValidationError(_("Unknown sections: %(codes)s") % {"codes": ", ".join(sorted(unknown))})
    report.narratives = {**report.narratives, **{k: v.strip() for k, v in narratives.items()}}
    fields = ["narratives", "updated_at"]
    for name, value in (("number", number), ("signer_name", signer_name), ("signer_title", signer_title)):
        if value is not None:
            setattr(report, name, value.strip())
            fields.append(name)
    report.save(update_fields=fields)
    audit_record(
        actor=actor, action=Action.CHANGE, target_type="report", target_id=report.pk, unit_path=report.unit_path,
        request=request, summary=f"Sửa nội dung báo cáo {report.cycle.code} của {report.unit.name}",
        extra={"sections": sorted(narratives)},
    )  # fmt: skip
    return report


@transaction.atomic
def add_attachment(*, report: Report, actor: User, upload: UploadedFile, request: Any = None) -> Attachment:
    _require(may_edit(actor, report))
    name = check_document(upload)
    attachment = Attachment.objects.create(report=report, file=upload, name=name, uploaded_by=actor)
    audit_record(
        actor=actor, action=Action.CHANGE, target_type="report", target_id=report.pk, unit_path=report.unit_path,
        request=request, summary=f"Đính kèm tệp vào báo cáo {report.cycle.code}: {name}",
        extra={"attachment": attachment.pk},
    )  # fmt: skip
    return attachment


@transaction.atomic
def submit(*, report: Report, actor: User, request: Any = None) -> Report:
    """Send the report to the level above. Its figures, and the sections other apps add, are frozen as they are
    (later data changes leave it as is)."""
    report = Report.objects.select_for_update().select_related("cycle__report_type", "unit").get(pk=report.pk)
    _require(may_edit(actor, report))
    missing = [s["title"] for s in report.cycle.report_type.sections() if not report.narratives.get(s["code"])]
    if missing:
        raise ValidationError(
            _("Write every section before submitting: %(sections)s") % {"sections": "; ".join(missing)}
        )
    now = timezone.now()
    report.added_sections = frozen_sections(report)
    report.status = Status.SUBMITTED
    report.submitted_at, report.submitted_by = now, actor
    report.first_submitted_at = report.first_submitted_at or now
    report.save(
        update_fields=["added_sections", "status", "submitted_at", "submitted_by", "first_submitted_at", "updated_at"]
    )
    _step(report, ReportStep.Action.SUBMITTED, actor, request=request)
    return report


@transaction.atomic
def return_report(*, report: Report, actor: User, comment: str, request: Any = None) -> Report:
    """Send the report back to its unit for correction, with what to correct."""
    report = Report.objects.select_for_update().select_related("cycle", "unit").get(pk=report.pk)
    _require(may_review(actor, report))
    if not comment.strip():
        raise ValidationError({"comment": _("Say what must be corrected.")})
    report.status = Status.RETURNED
    report.reviewed_at, report.reviewed_by, report.review_comment = timezone.now(), actor, comment.strip()
    report.save(update_fields=["status", "reviewed_at", "reviewed_by", "review_comment", "updated_at"])
    _step(report, ReportStep.Action.RETURNED, actor, comment=comment.strip(), request=request)
    return report


@transaction.atomic
def approve(*, report: Report, actor: User, comment: str = "", request: Any = None) -> Report:
    report = Report.objects.select_for_update().select_related("cycle", "unit").get(pk=report.pk)
    _require(may_review(actor, report))
    report.status = Status.APPROVED
    report.reviewed_at, report.reviewed_by, report.review_comment = timezone.now(), actor, comment.strip()
    report.save(update_fields=["status", "reviewed_at", "reviewed_by", "review_comment", "updated_at"])
    _step(report, ReportStep.Action.APPROVED, actor, comment=comment.strip(), request=request)
    return report


def record_download(*, report: Report, actor: User, fmt: str, request: Any = None) -> None:
    """A report's document downloaded (it carries figures): in the audit log."""
    audit_record(
        actor=actor, action=Action.PRINT, target_type="report", target_id=report.pk, unit_path=report.unit_path,
        request=request, summary=f"Tải báo cáo {report.cycle.code} của {report.unit.name} ({fmt.upper()})",
        extra={"format": fmt},
    )  # fmt: skip
