"""Pages: the communes of a unit with their assessment of a year; an assessment with its criteria (each item scored
in place with HTMX), its evidence, and the appraisal and decision pages of the upper level. Out of scope is 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from treem.accounts import permissions as rules
from treem.accounts.scope import get_for_user_or_404, get_or_404, visible_unit
from treem.accounts.web import AuthedRequest, form_errors_to, require_capability
from treem.core.dates import today_vn
from treem.indicators.tables import breadcrumb, home_unit_or_404
from treem.units.models import Level, Unit

from . import services
from .forms import AppraisalForm, CategoryForm, DecisionForm, EvidenceForm, ScoreForm, StartForm
from .models import Assessment, Evidence, Item, Score, Status
from .scoring import Result, criteria_and_items, evaluate, evaluate_scores
from .selectors import communes_with_assessments, status_counts, visible_assessments

SEE = rules.SEE_REPORTS


def _year(text: str | None) -> int:
    if not text:
        return today_vn().year
    if not text.isdigit() or not 2019 <= int(text) <= 2100:
        raise Http404
    return int(text)


def _assessment(request: AuthedRequest, pk: int) -> Assessment:
    return get_or_404(visible_assessments(request.user), pk=pk)


def _detail_url(assessment: Assessment) -> str:
    return reverse("assessments:detail", args=[assessment.pk])


@require_capability(SEE)
def assessment_list(request: AuthedRequest) -> HttpResponse:
    unit_id = request.GET.get("unit")
    unit = visible_unit(request.user, unit_id) if unit_id else home_unit_or_404(request.user)
    if unit is None or unit.level == Level.VILLAGE:
        raise Http404
    year = _year(request.GET.get("year"))
    rows = communes_with_assessments(request.user, unit, year)
    counts = status_counts(rows)
    below = Unit.objects.filter(parent=unit, is_active=True).exclude(level__in=[Level.VILLAGE, Level.COMMUNE])
    context = {
        "unit": unit,
        "year": year,
        "years": list(range(today_vn().year + 1, 2018, -1)),
        "rows": [
            {"row": r, "can_start": r.assessment is None and services.can_self_assess(request.user, r.commune)}
            for r in rows
        ],
        "count_rows": [(label, counts[value]) for value, label in Status.choices],
        "not_started": counts["none"],
        "below": below.order_by("path"),
        "crumbs": breadcrumb(request.user, unit),
    }
    return render(request, "assessments/list.html", context)


@require_capability(SEE)
@require_POST
def assessment_start(request: AuthedRequest, unit_id: int) -> HttpResponse:
    commune = get_for_user_or_404(request.user, Unit.objects.all(), pk=unit_id)
    form = StartForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        assessment = services.assessment_start(
            actor=request.user, unit=commune, year=form.cleaned_data["year"], request=request
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(f"{reverse('assessments:list')}?unit={commune.pk}&year={form.cleaned_data['year']}")
    messages.success(request, _("Assessment opened; the items the indicators give are pre-filled."))
    return redirect(_detail_url(assessment))


def _blocks(
    assessment: Assessment, result: Result, items: list[Item], scores: dict[int, Score],
    evidence: dict[int | None, list[Evidence]], editable: bool,
) -> list[dict[str, Any]]:  # fmt: skip
    return [
        {
            "criterion": r.criterion,
            "result": r,
            "items": [_item_context(assessment, it, scores[it.pk], evidence.get(it.pk, []), editable)
                      for it in items if it.criterion_id == r.criterion.pk and it.pk in scores],
        }
        for r in result.criteria
    ]  # fmt: skip


def _item_context(
    assessment: Assessment, item: Item, score: Score, evidence: list[Evidence], editable: bool, form: Any = None
) -> dict[str, Any]:
    return {
        "assessment": assessment,
        "item": item,
        "score": score,
        "evidence": evidence,
        "editable": editable,
        "form": form or ScoreForm(initial={"points": score.points, "note": score.note}, item=item, prefix=item.code),
    }


def _context(request: AuthedRequest, assessment: Assessment) -> dict[str, Any]:
    """The assessment page's context: the criteria, the scores and the evidence read once each."""
    user = request.user
    criteria, items = criteria_and_items()
    scores = {s.item_id: s for s in Score.objects.filter(assessment=assessment)}
    result = evaluate_scores({i: s.points for i, s in scores.items()}, items, criteria, assessment.category.min_total)
    evidence: dict[int | None, list[Evidence]] = {}
    for e in assessment.evidence.all():
        evidence.setdefault(e.item_id, []).append(e)
    editable = services.can_edit_scores(user, assessment)
    return {
        "assessment": assessment,
        "result": result,
        "blocks": _blocks(assessment, result, items, scores, evidence, editable),
        "editable": editable,
        "can_submit": assessment.status == Status.DRAFT and services.can_self_assess(user, assessment.unit),
        "can_appraise": services.can_appraise(user, assessment.unit),
        "category_form": CategoryForm(initial={"category": assessment.category}),
        "evidence_form": EvidenceForm(),
        "general_evidence": evidence.get(None, []),
        "statuses": Status,
    }


@require_capability(SEE)
def assessment_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    return render(request, "assessments/detail.html", _context(request, assessment))


@require_capability(SEE)
@require_POST
def score_save(request: AuthedRequest, pk: int, item_id: int) -> HttpResponse:
    """HTMX: one item scored; answers the item's row again and the summary out of band."""
    assessment = _assessment(request, pk)
    item = get_or_404(Item.objects.select_related("criterion"), pk=item_id)
    if not services.can_edit_scores(request.user, assessment):
        raise PermissionDenied
    form = ScoreForm(request.POST, item=item, prefix=item.code)
    saved = False
    if form.is_valid():
        try:
            services.score_set(
                actor=request.user, assessment=assessment, item=item, points=form.cleaned_data["points"],
                note=form.cleaned_data["note"], request=request,
            )  # fmt: skip
        except ValidationError as exc:
            form_errors_to(form, exc)
        else:
            saved = True
    if not request.htmx:
        if not saved:
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(f"{_detail_url(assessment)}#item-{item.pk}")
    assessment.refresh_from_db()
    score = Score.objects.get(assessment=assessment, item=item)
    evidence = list(assessment.evidence.filter(item=item))
    context = {
        **_item_context(assessment, item, score, evidence, True, None if saved else form),
        "result": evaluate(assessment),
        "oob": True,
    }
    # an invalid score is answered with 200 too: htmx swaps only successful answers, and the errors are in the item
    return render(request, "assessments/_item.html", context)


@require_capability(SEE)
@require_POST
def category_save(request: AuthedRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    form = CategoryForm(request.POST)
    if form.is_valid():
        try:
            services.category_set(
                actor=request.user, assessment=assessment, category=form.cleaned_data["category"], request=request
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect(_detail_url(assessment))


@require_capability(SEE)
@require_POST
def prefill(request: AuthedRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    try:
        n = services.assessment_prefill(actor=request.user, assessment=assessment, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(n)s items filled from the indicators.") % {"n": n})
    return redirect(_detail_url(assessment))


@require_capability(SEE)
@require_POST
def evidence_add(request: AuthedRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.evidence_add(
                actor=request.user, assessment=assessment, item=form.cleaned_data["item"],
                upload=form.cleaned_data["file"], request=request,
            )  # fmt: skip
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("File attached."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(_detail_url(assessment))


@require_capability(SEE)
def evidence_download(request: AuthedRequest, pk: int) -> FileResponse:
    evidence = get_for_user_or_404(request.user, Evidence.objects.all(), pk=pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=evidence.name)


@require_capability(SEE)
@require_POST
def submit(request: AuthedRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    try:
        services.assessment_submit(actor=request.user, assessment=assessment, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Self-assessment signed and sent for appraisal."))
    return redirect(_detail_url(assessment))


def _upper_level_step(
    request: AuthedRequest, pk: int, form_class: type[Form], step: Callable[[Assessment, dict[str, Any]], object],
    done: str, template: str,
) -> HttpResponse:  # fmt: skip
    """The appraisal and decision pages: the upper level's form on the assessment, the step run on a valid POST."""
    assessment = _assessment(request, pk)
    if not services.can_appraise(request.user, assessment.unit):
        raise PermissionDenied
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            step(assessment, form.cleaned_data)
        except ValidationError as exc:
            form_errors_to(form, exc)
        else:
            messages.success(request, done)
            return redirect(_detail_url(assessment))
    context = {**_context(request, assessment), "form": form}
    return render(request, template, context)


@require_capability(SEE)
def appraise(request: AuthedRequest, pk: int) -> HttpResponse:
    def step(assessment: Assessment, data: dict[str, Any]) -> object:
        return services.assessment_appraise(
            actor=request.user, assessment=assessment, agree=data["agree"], note=data["note"], request=request
        )

    return _upper_level_step(request, pk, AppraisalForm, step, _("Appraisal recorded."), "assessments/appraise.html")


@require_capability(SEE)
def decide(request: AuthedRequest, pk: int) -> HttpResponse:
    def step(assessment: Assessment, data: dict[str, Any]) -> object:
        return services.assessment_decide(
            actor=request.user, assessment=assessment, number=data["number"], date=data["date"], request=request
        )

    return _upper_level_step(request, pk, DecisionForm, step, _("Decision recorded."), "assessments/decide.html")
