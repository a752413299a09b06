"""The endpoints. Each one asks the same capability as its page (`accounts.permissions` rules through
`accounts.web.check_capability`) and reads through the same scoped selectors, so scope, confidentiality and the
audit of case data are the pages' own rules, not a copy of them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, cast

from django.db.models import Q
from django.http import Http404, HttpRequest
from ninja import Path, Query, Router
from pydantic import BeforeValidator

from treem.accounts import capabilities as cap
from treem.accounts import permissions as rules
from treem.accounts.scope import get_for_user_or_404, scope_queryset, scope_root, visible_unit
from treem.accounts.web import check_capability
from treem.audit.models import Action
from treem.audit.services import audit_record
from treem.cases import selectors as case_selectors
from treem.core.periods import Period, PeriodError
from treem.indicators.entry import Cell, figures_enter
from treem.indicators.exports import Export
from treem.indicators.exports.dhis2 import dhis2_data_values
from treem.indicators.models import Indicator
from treem.indicators.tables import home_unit
from treem.registry import selectors as registry
from treem.registry.models import Circumstance, CircumstanceQuerySet, Household
from treem.units.models import Level, Unit
from treem.units.selectors import unit_search

from . import schemas as s
from .core import ERRORS, MAX_ID, ErrorOut, api, caller, clean_text, page_of

Id = Annotated[int, Path(ge=1, le=MAX_ID)]
PageNo = Annotated[int, Query(ge=1, le=100_000)]
PageSize = Annotated[int, Query(ge=1, le=200)]


def _iso(value: Any) -> Any:
    """Only ISO 8601 text is a date or a moment here (pydantic would also read a bare number as a Unix time)."""
    if not isinstance(value, str) or not value[:4].isdigit() or value[4:5] != "-":
        raise ValueError("ISO 8601 expected")
    return value


Since = Annotated[dt.datetime | None, BeforeValidator(lambda v: v if v is None else _iso(v))]
Day = Annotated[dt.date | None, BeforeValidator(lambda v: v if v is None else _iso(v))]


def _responses(ok: Any) -> dict[Any, Any]:
    return {200: ok, ERRORS: ErrorOut}


# --- units --------------------------------------------------------------------------------------------------------

units = Router(tags=["units"])


@units.get("/units", response=_responses(s.UnitPage), summary="Units in scope (search by name)")
def unit_list(
    request: HttpRequest, q: str = "", level: str = "", parent: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    code: str = "", page: PageNo = 1, page_size: PageSize = 50,
) -> dict[str, Any]:  # fmt: skip
    """Current and former units the caller may see; `q`: every word starts a word of the name (no diacritics
    needed); `parent`: its direct sub-units; `level`: nation, province, district, commune or village; `code`: the
    official code."""
    user = caller(request)
    check_capability(user, rules.SEE_UNITS)
    qs = scope_queryset(user, Unit.objects.filter(is_active=True))
    if code:
        qs = qs.filter(code=clean_text(code))
    if parent is not None:
        qs = qs.filter(parent_id=parent)
    if level:
        qs = qs.filter(level=level)
    text = clean_text(q)
    if text:
        found = unit_search(text, within=scope_root(user), limit=None)
        allowed = set(qs.filter(pk__in=[u.pk for u in found]).values_list("pk", flat=True))
        return page_of([u for u in found if u.pk in allowed], page, page_size)  # the search's ranking kept
    return page_of(qs.order_by("path"), page, page_size)


@units.get("/units/{unit_id}", response=_responses(s.UnitOut), summary="One unit")
def unit_get(request: HttpRequest, unit_id: Id) -> Unit:
    user = caller(request)
    check_capability(user, rules.SEE_UNITS)
    return get_for_user_or_404(user, Unit.objects.all(), pk=unit_id)


@units.get("/units/{unit_id}/subtree", response=_responses(s.UnitPage), summary="A unit and every unit below it")
def unit_subtree(request: HttpRequest, unit_id: Id, level: str = "", page: PageNo = 1, page_size: PageSize = 50
                 ) -> dict[str, Any]:  # fmt: skip
    user = caller(request)
    check_capability(user, rules.SEE_UNITS)
    unit = get_for_user_or_404(user, Unit.objects.all(), pk=unit_id)
    qs = Unit.objects.filter(path__path_prefix=unit.path, is_active=True)
    if level:
        qs = qs.filter(level=level)
    return page_of(qs.order_by("path"), page, page_size)


@units.get("/villages", response=_responses(s.UnitPage), summary="Villages (of a commune)")
def village_list(request: HttpRequest, commune: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
                 page: PageNo = 1, page_size: PageSize = 50) -> dict[str, Any]:  # fmt: skip
    user = caller(request)
    check_capability(user, rules.SEE_UNITS)
    qs = scope_queryset(user, Unit.objects.filter(level=Level.VILLAGE, is_active=True))
    if commune is not None:
        qs = qs.filter(parent_id=commune)
    return page_of(qs.order_by("path"), page, page_size)


# --- registry -----------------------------------------------------------------------------------------------------

registry_router = Router(tags=["registry"])


def _since(qs: Any, updated_since: dt.datetime | None) -> Any:
    return qs if updated_since is None else qs.filter(updated_at__gte=updated_since)


@registry_router.get("/households", response=_responses(s.HouseholdPage), summary="Households in scope")
def household_list(
    request: HttpRequest, q: str = "", unit: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    updated_since: Since = None, page: PageNo = 1, page_size: PageSize = 50,
) -> dict[str, Any]:  # fmt: skip
    """`q`: the head's name or the household code (contains); `unit`: within that unit;
    `updated_since`: changed at or after that moment (ISO 8601)."""
    user = caller(request)
    check_capability(user, rules.SEE_REGISTRY)
    qs = registry.households_for_user(user)
    if unit is not None:
        within = visible_unit(user, unit)
        qs = qs.none() if within is None else scope_queryset(user, qs, within=within)
    text = clean_text(q)
    if text:
        qs = qs.filter(Q(head_name__icontains=text) | Q(code__icontains=text))
    return page_of(_since(qs, updated_since).order_by("pk"), page, page_size)


@registry_router.get("/households/{household_id}", response=_responses(s.HouseholdOut), summary="One household")
def household_get(request: HttpRequest, household_id: Id) -> Household:
    user = caller(request)
    check_capability(user, rules.SEE_REGISTRY)
    return get_for_user_or_404(user, Household.objects.all(), pk=household_id)


@registry_router.get("/children", response=_responses(s.ChildPage), summary="Children in scope (search, filters)")
def child_list(
    request: HttpRequest, q: str = "", unit: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    sex: str = "", age_band: str = "", ethnicity: str = "", group: str = "", risk: str = "", school_status: str = "",
    status: str = "active", no_id: bool = False, id_unverified: bool = False, updated_since: Since = None,
    page: PageNo = 1, page_size: PageSize = 50,
) -> dict[str, Any]:  # fmt: skip
    """The registry list's search and filters: `q` (name, a guardian's name or the ID number), `unit`, `sex` (M/F),
    `age_band` (0-2, 3-5, 6-10, 11-14, 15, 16-17, 0-15, 0-5, 11-15), `group`/`risk` (a code or `any`),
    `status` (active, aged_out, moved_away, deceased; empty: all), `no_id`, `id_unverified` (an ID the police have
    not yet verified); `updated_since` (ISO 8601)."""
    user = caller(request)
    check_capability(user, rules.SEE_REGISTRY)
    f = registry.ChildFilter(
        q=clean_text(q), unit_id=unit, age_band=age_band, sex=sex, ethnicity=clean_text(ethnicity),
        group=clean_text(group), risk=clean_text(risk), school_status=school_status, status=status, no_id=no_id,
        id_unverified=id_unverified,
    )  # fmt: skip
    qs = _since(registry.child_list(user, f), updated_since)
    return page_of(qs, page, page_size)


def _circumstance_out(c: Circumstance) -> dict[str, Any]:
    return {
        "id": c.pk, "child_id": c.child_id, "kind": c.type.kind, "type_code": c.type.code,
        "subtype_code": c.subtype.code if c.subtype else None, "valid_from": c.valid_from,
        "valid_to": c.valid_to, "source": c.source, "confidential": bool(c.confidential or c.type.confidential),
        "recorded_at": c.recorded_at,
    }  # fmt: skip


@registry_router.get("/children/{child_id}", response=_responses(s.ChildDetailOut), summary="One child")
def child_get(request: HttpRequest, child_id: Id) -> dict[str, Any]:
    """The child with the circumstances the caller may see (case-derived ones audited, as on the child page)."""
    user = caller(request)
    check_capability(user, rules.SEE_REGISTRY)
    child = registry.child_detail(user, child_id, request=request)
    out = {f: getattr(child, f) for f in s.ChildOut.model_fields if f not in ("household_id", "commune_id")}
    out |= {"household_id": child.household_id, "commune_id": child.commune_id, "village_id": child.village_id}
    out["circumstances"] = [_circumstance_out(c) for c in child.circumstances.all()]
    return out


@registry_router.get(
    "/circumstances", response=_responses(s.CircumstancePage), summary="Special-circumstance and risk intervals"
)
def circumstance_list(
    request: HttpRequest, child: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None, kind: str = "",
    type_code: str = "", on: Day = None, updated_since: Since = None,
    page: PageNo = 1, page_size: PageSize = 50,
) -> dict[str, Any]:  # fmt: skip
    """The intervals the caller may see (case-derived groups only to those who may see their case; showing one is
    audited); `on`: in force on that date; `updated_since`: recorded or changed since (ISO 8601)."""
    user = caller(request)
    check_capability(user, rules.SEE_REGISTRY)
    qs = registry.visible_circumstances(user).filter(child__merged_into__isnull=True)
    if child is not None:
        qs = qs.filter(child_id=child)
    if kind:
        qs = qs.filter(type__kind=kind)
    if type_code:
        qs = qs.filter(type__code=clean_text(type_code))
    if on is not None:
        qs = cast(CircumstanceQuerySet, qs).on(on)  # the model's own "in force on" rule
    if updated_since is not None:
        changed = Circumstance.history.filter(history_date__gte=updated_since).values("id")
        qs = qs.filter(pk__in=changed)
    result = page_of(qs.select_related("type", "subtype", "child").order_by("pk"), page, page_size)
    shown: list[Circumstance] = result["items"]
    registry.audit_confidential_shown(
        user, shown, where="API /circumstances", unit_path=shown[0].child.unit_path if shown else "", request=request
    )
    result["items"] = [_circumstance_out(c) for c in shown]
    return result


# --- cases --------------------------------------------------------------------------------------------------------

cases_router = Router(tags=["cases"])


@cases_router.get("/cases", response=_responses(s.CasePage), summary="Cases the caller may see (audited)")
def case_list(request: HttpRequest, status: str = "", clock: str = "", page: PageNo = 1, page_size: PageSize = 50
              ) -> dict[str, Any]:  # fmt: skip
    """The case dashboard's list (open cases and followed-up closed ones, or those of `status`; `clock`: overdue,
    due_soon, separation), most urgent first. Listing is audited exactly like the dashboard."""
    user = caller(request)
    check_capability(user, rules.SEE_CASES)
    cases = case_selectors.case_list(user, status=clean_text(status), clock=clock, request=request)
    return page_of(cases, page, page_size)


@cases_router.get("/cases/{case_id}", response=_responses(s.CaseDetailOut), summary="One case (audited)")
def case_get(request: HttpRequest, case_id: Id) -> Any:
    user = caller(request)
    check_capability(user, rules.SEE_CASES)
    return case_selectors.case_get(user, case_id, request=request, what=lambda c: f"API: xem hồ sơ {c.code}")


# --- indicators and figures ---------------------------------------------------------------------------------------

figures = Router(tags=["indicators"])


def _indicator_out(ind: Indicator) -> dict[str, Any]:
    return {
        "code": ind.code, "legal_code": ind.legal_code, "name": ind.name, "group": ind.group.code,
        "measure": ind.measure, "source": ind.source, "periodicity": ind.periodicity,
        "disaggregations": ind.disaggregations, "definition": ind.definition,
    }  # fmt: skip


@figures.get("/indicators", response=_responses(list[s.IndicatorOut]), summary="Indicator definitions")
def indicator_list(request: HttpRequest) -> list[dict[str, Any]]:
    check_capability(caller(request), rules.SEE_FIGURES)
    return [_indicator_out(i) for i in Indicator.objects.filter(is_active=True).select_related("group")]


@figures.get("/indicators/{code}", response=_responses(s.IndicatorOut), summary="One indicator")
def indicator_get(request: HttpRequest, code: str) -> dict[str, Any]:
    check_capability(caller(request), rules.SEE_FIGURES)
    ind = Indicator.objects.select_related("group").filter(code=clean_text(code), is_active=True).first()
    if ind is None:
        raise Http404
    return _indicator_out(ind)


def _export(request: HttpRequest, unit: int, period: str, indicator: str) -> tuple[Export, bool]:
    """The figures a caller may read, exactly as the export page gives them (scope, suppression, audit)."""
    user = caller(request)
    check_capability(user, rules.SEE_FIGURES)
    root = visible_unit(user, unit)
    if root is None:
        raise Http404
    try:
        parsed = Period.parse(clean_text(period))
    except PeriodError as exc:
        raise Http404 from exc
    indicators: list[Indicator] | None = None
    if indicator:
        indicators = list(Indicator.objects.filter(code=clean_text(indicator)))
        if not indicators:
            raise Http404
    suppress = not user.has_capability(cap.FIGURES_EXACT)
    export = Export.collect(parsed, root, suppress=suppress, indicators=indicators, scope=home_unit(user))
    if not suppress and export.values:
        audit_record(
            actor=user, action=Action.EXPORT, target_type="indicator_values", target_id=f"{root.code}/{parsed}",
            unit_path=root.path, request=request,
            summary=f"API: đọc số liệu chỉ tiêu chính xác (không ẩn số nhỏ): {root.name}, kỳ {parsed}",
            extra={"unit": root.code, "period": str(parsed), "indicator": indicator, "exact": True, "api": True},
        )  # fmt: skip
    return export, suppress


@figures.get("/data-values", response=_responses(s.DataValuePage), summary="Stored figures of a unit's subtree")
def data_value_list(
    request: HttpRequest, unit: Annotated[int, Query(ge=1, le=MAX_ID)], period: str, indicator: str = "",
    page: PageNo = 1, page_size: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> dict[str, Any]:  # fmt: skip
    """The stored values of `period` (2025, 2025S1, 2025Q3, 2025-05…) for `unit` and the units below it. Small cells
    are left out for a caller without the right to exact figures (`suppressed` says so), as in the exports."""
    export, suppressed = _export(request, unit, period, indicator)
    rows = [
        {"indicator": ind.code, "unit_id": u.pk, "unit_code": u.code, "period": str(export.period), "disagg": v.disagg,
         "value": v.value, "numerator": v.numerator, "denominator": v.denominator}
        for v, ind, u in export.published()
    ]  # fmt: skip
    return page_of(rows, page, page_size) | {"suppressed": suppressed}


@figures.post("/data-values", response=_responses(s.StoredOut), summary="Enter figures (entered indicators only)")
def data_value_enter(request: HttpRequest, payload: s.FiguresIn) -> dict[str, int]:
    """Store what a unit entered for a period, through the same service and validation as the entry page:
    `figures` maps an entered indicator's code to its cells by breakdown key ("" for the total); an indicator sent
    replaces what was entered for it (a cell left out is cleared). Invalid figures answer 400, nothing stored."""
    user = caller(request)
    check_capability(user, rules.ENTER_FIGURES)
    unit = visible_unit(user, payload.unit_id)
    if unit is None:
        raise Http404
    try:
        period = Period.parse(clean_text(payload.period))
    except PeriodError as exc:
        raise Http404 from exc
    cells = {
        code: {key: Cell(value=c.value, numerator=c.numerator, denominator=c.denominator) for key, c in row.items()}
        for code, row in payload.figures.items()
    }
    return {"stored": figures_enter(actor=user, unit=unit, period=period, figures=cells, request=request)}


@figures.get("/dhis2/dataValueSets", response=_responses(s.Dhis2SetOut), summary="Figures as a DHIS2 dataValueSet")
def dhis2_value_set(request: HttpRequest, unit: Annotated[int, Query(ge=1, le=MAX_ID)], period: str,
                    indicator: str = "") -> dict[str, Any]:  # fmt: skip
    """The same figures as `/data-values`, as DHIS2 dataValueSets JSON (codes as identifiers, import with
    `idScheme=CODE`): what the national level pulls."""
    export, _suppressed = _export(request, unit, period, indicator)
    return {"dataValues": dhis2_data_values(export)}


api.add_router("/", units)
api.add_router("/", registry_router)
api.add_router("/", cases_router)
api.add_router("/", figures)
