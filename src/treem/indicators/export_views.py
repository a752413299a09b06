"""The export of a unit's figures for a period: `indicators:export` (GET `period`, `unit` (pk), `format`
xlsx|csv|dhis2|adx, optional `indicator` code).

Scoped like every page (a unit outside the user's subtree answers 404, as does an unknown period, format or
indicator); small cells are suppressed for a user without `figures.exact`, and every export of exact figures is
audited (who, which unit, period, format and indicator)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import IO, Any

from django.http import Http404, HttpResponseBase
from django.views.decorators.http import require_GET

from treem.accounts import capabilities as cap
from treem.accounts import permissions as rules
from treem.accounts.scope import visible_unit
from treem.accounts.web import XLSX_CONTENT_TYPE, AuthedRequest, file_response, require_capability
from treem.audit.models import Action
from treem.audit.services import audit_record
from treem.core.periods import Period, PeriodError
from treem.units.models import Unit

from .exports import EmptyExport, write_adx, write_csv, write_dhis2, write_xlsx
from .models import Indicator
from .tables import home_unit

# format -> (writer, writes text, file name ending, content type)
FORMATS: dict[str, tuple[Callable[..., int], bool, str, str]] = {
    "xlsx": (write_xlsx, False, ".xlsx", XLSX_CONTENT_TYPE),
    "csv": (write_csv, True, ".csv", "text/csv; charset=utf-8"),
    "dhis2": (write_dhis2, True, ".dhis2.json", "application/json"),
    "adx": (write_adx, False, ".adx.xml", "application/adx+xml"),
}


def _text(write: Callable[[IO[str]], Any]) -> Callable[[IO[bytes]], None]:
    """A text writer onto a binary file (UTF-8, newlines as written)."""

    def run(out: IO[bytes]) -> None:
        text = io.TextIOWrapper(out, encoding="utf-8", newline="")
        write(text)
        text.flush()
        text.detach()

    return run


@require_capability(rules.SEE_FIGURES)
@require_GET
def export(request: AuthedRequest) -> HttpResponseBase:
    """The stored figures of a unit's subtree for a period, as a file."""
    unit = visible_unit(request.user, request.GET.get("unit", ""))
    fmt = request.GET.get("format", "xlsx")
    if unit is None or fmt not in FORMATS:
        raise Http404
    try:
        period = Period.parse(request.GET.get("period", ""))
    except PeriodError as exc:
        raise Http404 from exc
    indicators: list[Indicator] | None = None
    code = request.GET.get("indicator", "")
    if code:
        indicators = list(Indicator.objects.filter(code=code))
        if not indicators:
            raise Http404
    suppress = not request.user.has_capability(cap.FIGURES_EXACT)
    scope = home_unit(request.user)  # one suppression pattern over the reader's whole scope, as their pages show
    writer, text, ending, content_type = FORMATS[fmt]
    filename = f"chi-tieu-{unit.code}-{period}{'-' + code if code else ''}{ending}"

    def write(out: IO[Any]) -> None:
        writer(out, period, unit, suppress=suppress, indicators=indicators, scope=scope)

    try:
        response = file_response(_text(write) if text else write, filename, content_type)
    except EmptyExport as exc:
        raise Http404 from exc
    if not suppress:
        _audit_exact(request, unit, period, fmt, code)
    return response


def _audit_exact(request: AuthedRequest, unit: Unit, period: Period, fmt: str, code: str) -> None:
    """Exact figures left Treem: who took which."""
    audit_record(
        actor=request.user, action=Action.EXPORT, target_type="indicator_values", target_id=f"{unit.code}/{period}",
        unit_path=unit.path, request=request,
        summary=f"Xuất số liệu chỉ tiêu chính xác (không ẩn số nhỏ): {unit.name}, kỳ {period}, định dạng {fmt}"
        + (f", chỉ tiêu {code}" if code else ""),
        extra={"unit": unit.code, "period": str(period), "format": fmt, "indicator": code, "exact": True},
    )  # fmt: skip
