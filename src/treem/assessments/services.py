"""Writing assessments: start one (scores pre-filled from the indicators), score items, attach evidence, and move it
through self-assessment → appraisal → decision. Every call is one transaction with its audit row.

Who may do what:
- the commune's side (start, score, evidence, sign the self-assessment): capability `reports.submit` with the
  commune in scope;
- the upper level (appraise, adjust scores while appraising, record the decision): capability `reports.review`
  and a unit strictly above the commune. A commune never appraises or recognises itself, and whoever signed the
  self-assessment (an upper-level user may fill it in for a commune) does not appraise it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from treem.accounts import capabilities as cap
from treem.accounts.scope import is_unrestricted, scope_root, unit_in_scope
from treem.audit.models import Action
from treem.audit.services import audit_record
from treem.core.dates import date_vn, today_vn
from treem.core.uploads import check_document
from treem.indicators.models import Indicator, meets
from treem.indicators.publish import values_for
from treem.units.models import Level, Unit

from .models import Assessment, Category, Evidence, Item, Score, Status
from .scoring import Verdict, evaluate

TARGET_TYPE = "assessment"
URBAN_WARD_TYPES = ("phường",)
SPECIAL_ZONE_TYPES = ("đặc khu",)


# --- who may ---------------------------------------------------------------------------------------------------


def _name(user: Any) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def can_self_assess(user: Any, unit: Unit) -> bool:
    """The commune's side: `reports.submit` with the commune in scope."""
    return bool(user.is_authenticated and user.has_capability(cap.REPORTS_SUBMIT) and unit_in_scope(user, unit))


def is_upper_level(user: Any, unit: Unit) -> bool:
    """The user works for a unit strictly above `unit` (or is an administrator without a unit)."""
    if not unit_in_scope(user, unit):
        return False
    if is_unrestricted(user):
        return True
    root = scope_root(user)
    return root is not None and root.path != unit.path  # in scope (above) and not the unit itself


def can_appraise(user: Any, unit: Unit) -> bool:
    """The upper level: `reports.review` and a unit strictly above the commune."""
    return bool(user.is_authenticated and user.has_capability(cap.REPORTS_REVIEW) and is_upper_level(user, unit))


def can_edit_scores(user: Any, assessment: Assessment) -> bool:
    """The commune while it drafts; the upper level while it appraises."""
    if assessment.status == Status.DRAFT:
        return can_self_assess(user, assessment.unit)
    if assessment.status == Status.SELF_ASSESSED:
        return can_appraise(user, assessment.unit)
    return False


def _require_edit(user: Any, assessment: Assessment) -> None:
    if assessment.status not in (Status.DRAFT, Status.SELF_ASSESSED):
        raise ValidationError(_("This assessment is past appraisal: its scores can no longer change."))
    if not can_edit_scores(user, assessment):
        raise PermissionDenied


def _locked(assessment: Assessment) -> Assessment:
    """The assessment again, locked for the transaction (two users moving it at once: the second sees the first)."""
    return Assessment.objects.select_for_update().select_related("unit", "category").get(pk=assessment.pk)


def _audit(
    actor: Any, assessment: Assessment, action: str, summary: str, request: HttpRequest | None, **extra: Any
) -> None:
    audit_record(
        actor=actor, action=action, target_type=TARGET_TYPE, target_id=assessment.pk, unit_path=assessment.unit_path,
        summary=summary, request=request, extra={"year": assessment.year, **extra},
    )  # fmt: skip


# --- pre-filling from the indicators ------------------------------------------------------------------------------


def default_category(unit: Unit) -> Category:
    """The category a commune's type suggests (phường: urban ward; đặc khu: island; else other). The sources do not
    map the 2025 units to QĐ 06's categories: the assessment's category stays editable."""
    kind = unit.unit_type.strip().lower()
    code = "urban_ward" if kind in URBAN_WARD_TYPES else "disadvantaged" if kind in SPECIAL_ZONE_TYPES else "other"
    category = Category.objects.filter(code=code).first() or Category.objects.order_by("sort_order").first()
    if category is None:
        raise ValidationError(_("No commune category is defined: load the criteria first."))
    return category


def indicator_figures(unit: Unit, year: int, codes: set[str]) -> dict[str, float]:
    """The commune's stored totals (computed or entered) of these indicators for the year, by indicator code."""
    indicators = list(Indicator.objects.filter(code__in=codes))
    by_id = {ind.pk: ind.code for ind in indicators}
    return {
        by_id[v.indicator_id]: v.value
        for v in values_for(str(year), unit, indicators=indicators, depth=0)
        if v.unit_id == unit.pk and v.disagg == ""
    }


def item_figure(item: Item, figures: dict[str, float]) -> float | None:
    """The figure an item is judged on: the indicator's value, or its share of `per_indicator` (× 100)."""
    value = figures.get(item.indicator)
    if value is None or not item.per_indicator:
        return value
    per = figures.get(item.per_indicator)
    return value / per * 100 if per else None


def prefill_points(item: Item, figure: float | None) -> int | None:
    """The full points when the figure meets the item's target, 0 when it does not, None without a figure."""
    if figure is None or not item.prefillable or item.target is None:
        return None
    met = meets(item.comparison, round(figure, 4), item.target)  # rounded: a share of two figures is a float
    return item.max_points if met else 0


def _prefill(assessment: Assessment, scores: list[Score], *, only_untouched: bool) -> int:
    items = [s.item for s in scores if s.item.prefillable]
    codes = {it.indicator for it in items} | {it.per_indicator for it in items if it.per_indicator}
    figures = indicator_figures(assessment.unit, assessment.year, codes)
    changed = 0
    for score in scores:
        if not score.item.prefillable or (only_untouched and score.points is not None and not score.prefilled):
            continue
        figure = item_figure(score.item, figures)
        points = prefill_points(score.item, figure)
        if points is None and score.points is not None and not score.prefilled:
            continue
        if (score.indicator_value, score.points, score.prefilled) == (figure, points, points is not None):
            continue
        score.indicator_value, score.points, score.prefilled = figure, points, points is not None
        score.save(update_fields=["indicator_value", "points", "prefilled", "updated_at"])
        changed += 1
    return changed


# --- the commune's side -------------------------------------------------------------------------------------------


@transaction.atomic
def assessment_start(*, actor: Any, unit: Unit, year: int, request: HttpRequest | None = None) -> Assessment:
    """Open the commune's assessment for the year: every item, pre-filled from the indicators where it can be."""
    if not can_self_assess(actor, unit):
        raise PermissionDenied
    if unit.level != Level.COMMUNE:
        raise ValidationError(_("Only a commune is assessed."))
    if not 2019 <= year <= today_vn().year + 1:
        raise ValidationError(_("Choose a year from 2019 (Quyết định 06/QĐ-TTg) to next year."))
    if Assessment.objects.filter(unit=unit, year=year).exists():
        raise ValidationError(_("%(unit)s already has an assessment for %(year)s.") % {"unit": unit, "year": year})
    items = list(Item.objects.select_related("criterion"))
    if not items:
        raise ValidationError(_("No criteria are defined: load the criteria first."))
    assessment = Assessment.objects.create(
        unit=unit, unit_path=unit.path, year=year, category=default_category(unit), created_by=actor
    )
    scores = Score.objects.bulk_create(
        [Score(assessment=assessment, item=it, updated_by_name=_name(actor)) for it in items]
    )
    for score, item in zip(scores, items, strict=True):
        score.item = item
    filled = _prefill(assessment, scores, only_untouched=False)
    _audit(actor, assessment, Action.CREATE, f"{unit.name} {year}", request, prefilled=filled)
    return assessment


@transaction.atomic
def assessment_prefill(*, actor: Any, assessment: Assessment, request: HttpRequest | None = None) -> int:
    """Read the indicators again (after a compute run or new entered figures); scores changed by hand stay."""
    assessment = _locked(assessment)
    if assessment.status != Status.DRAFT:
        raise ValidationError(_("Only a draft is filled from the indicators."))
    _require_edit(actor, assessment)
    scores = list(assessment.scores.select_related("item"))
    changed = _prefill(assessment, scores, only_untouched=True)
    _audit(actor, assessment, Action.CHANGE, _("Filled from the indicators"), request, prefilled=changed)
    return changed


@transaction.atomic
def score_set(
    *, actor: Any, assessment: Assessment, item: Item, points: int | None, note: str = "",
    request: HttpRequest | None = None,
) -> Score:  # fmt: skip
    """Score one item (None clears it). The commune while drafting, the upper level while appraising."""
    assessment = _locked(assessment)
    _require_edit(actor, assessment)
    if points is not None and not 0 <= points <= item.max_points:
        raise ValidationError({"points": _("Between 0 and %(max)s points.") % {"max": item.max_points}})
    score = Score.objects.select_for_update().get(assessment=assessment, item=item)
    before = score.points
    score.points, score.note, score.prefilled = points, note.strip(), False
    score.updated_by_name = _name(actor)
    score.save(update_fields=["points", "note", "prefilled", "updated_by_name", "updated_at"])
    _audit(
        actor, assessment, Action.CHANGE, f"{item.code}: {before} → {points}", request,
        item=item.code, before=before, points=points,
    )  # fmt: skip
    Assessment.objects.filter(pk=assessment.pk).update(updated_at=timezone.now())
    return score


@transaction.atomic
def category_set(
    *, actor: Any, assessment: Assessment, category: Category, request: HttpRequest | None = None
) -> Assessment:
    """The commune's category (its threshold): set by the commune while drafting, checked by the upper level."""
    assessment = _locked(assessment)
    _require_edit(actor, assessment)
    before = assessment.category.code
    assessment.category = category
    assessment.save(update_fields=["category", "updated_at"])
    _audit(actor, assessment, Action.CHANGE, f"{before} → {category.code}", request, category=category.code)
    return assessment


@transaction.atomic
def evidence_add(
    *, actor: Any, assessment: Assessment, item: Item | None, upload: UploadedFile,
    request: HttpRequest | None = None,
) -> Evidence:  # fmt: skip
    assessment = _locked(assessment)
    _require_edit(actor, assessment)
    if not upload.size:
        raise ValidationError({"file": _("The file is empty.")})
    name = check_document(upload)
    evidence = Evidence(assessment=assessment, item=item, name=name, uploaded_by=actor, uploaded_by_name=_name(actor))
    evidence.file.save(name, upload, save=False)
    evidence.save()
    _audit(actor, assessment, Action.CREATE, _("Evidence: %(name)s") % {"name": name}, request,
           evidence=evidence.pk, item=item.code if item else "")  # fmt: skip
    return evidence


@transaction.atomic
def assessment_submit(*, actor: Any, assessment: Assessment, request: HttpRequest | None = None) -> Assessment:
    """The commune signs its self-assessment and sends it to the upper level: every item must be scored."""
    assessment = _locked(assessment)
    if assessment.status != Status.DRAFT:
        raise ValidationError(_("Only a draft is sent for appraisal."))
    if not can_self_assess(actor, assessment.unit):
        raise PermissionDenied
    result = evaluate(assessment)
    if result.verdict == Verdict.INCOMPLETE:
        raise ValidationError(_("Score every item before sending the self-assessment."))
    assessment.status = Status.SELF_ASSESSED
    assessment.self_assessed_at, assessment.self_assessed_by = timezone.now(), actor
    assessment.self_assessed_by_name = _name(actor)
    assessment.save()
    _audit(actor, assessment, Action.TRANSITION, _("Self-assessed: %(total)s points") % {"total": result.total},
           request, status=assessment.status, total=result.total)  # fmt: skip
    return assessment


# --- the upper level ----------------------------------------------------------------------------------------------


@transaction.atomic
def assessment_appraise(
    *, actor: Any, assessment: Assessment, agree: bool, note: str = "", request: HttpRequest | None = None
) -> Assessment:
    """The upper level appraises: agreed (on to the decision) or returned to the commune with a note."""
    assessment = _locked(assessment)
    if assessment.status != Status.SELF_ASSESSED:
        raise ValidationError(_("Only a self-assessed assessment is appraised."))
    if not can_appraise(actor, assessment.unit):
        raise PermissionDenied
    if assessment.self_assessed_by_id is not None and assessment.self_assessed_by_id == actor.pk:
        raise ValidationError(_("The one who signed the self-assessment does not appraise it."))
    note = note.strip()
    if not agree and not note:
        raise ValidationError({"note": _("Say what the commune must correct.")})
    result = evaluate(assessment)
    if agree and result.verdict == Verdict.INCOMPLETE:
        raise ValidationError(_("Score every item before the appraisal."))
    assessment.appraisal_note = note
    if agree:
        assessment.status = Status.APPRAISED
        assessment.appraised_at, assessment.appraised_by = timezone.now(), actor
        assessment.appraised_by_name = _name(actor)
    else:
        assessment.status = Status.DRAFT
        assessment.self_assessed_at, assessment.self_assessed_by, assessment.self_assessed_by_name = None, None, ""
    assessment.save()
    summary = _("Appraised: %(total)s points") if agree else _("Returned to the commune: %(total)s points")
    _audit(actor, assessment, Action.TRANSITION, summary % {"total": result.total}, request,
           status=assessment.status, total=result.total, note=note)  # fmt: skip
    return assessment


@transaction.atomic
def assessment_decide(
    *, actor: Any, assessment: Assessment, number: str, date: dt.date, request: HttpRequest | None = None
) -> Assessment:
    """The decision on an appraised assessment (its number and date): recognised when the verdict says so, else not
    recognised. The verdict is the rule's, not a choice."""
    assessment = _locked(assessment)
    if assessment.status != Status.APPRAISED:
        raise ValidationError(_("Only an appraised assessment is decided."))
    if not can_appraise(actor, assessment.unit):
        raise PermissionDenied
    number = number.strip()
    errors: dict[str, str] = {}
    if not number:
        errors["number"] = _("Give the decision's number.")
    if date > today_vn():
        errors["date"] = _("The decision date cannot be in the future.")
    elif assessment.appraised_at and date < date_vn(assessment.appraised_at):
        errors["date"] = _("The decision cannot come before the appraisal.")
    if errors:
        raise ValidationError(errors)
    result = evaluate(assessment)
    if result.verdict == Verdict.INCOMPLETE:
        raise ValidationError(_("Score every item before the decision."))
    assessment.status = Status.RECOGNISED if result.verdict == Verdict.RECOGNISED else Status.NOT_RECOGNISED
    assessment.decision_number, assessment.decision_date = number, date
    assessment.decided_at, assessment.decided_by, assessment.decided_by_name = timezone.now(), actor, _name(actor)
    assessment.save()
    _audit(actor, assessment, Action.TRANSITION, f"{assessment.get_status_display()}: {number}", request,
           status=assessment.status, total=result.total, number=number, date=date.isoformat())  # fmt: skip
    return assessment
