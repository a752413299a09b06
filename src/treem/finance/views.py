"""Finance pages: the ledger of a unit and year (totals per source and per kind, a workbook), its allocations (list,
record, change, delete). Thin views: the ledger reads, the services write; a unit or an allocation out of the
user's scope answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from treem.accounts import permissions as rules
from treem.accounts.scope import get_for_user_or_404, scope_queryset, scope_root, unit_in_scope, visible_unit
from treem.accounts.web import AuthedRequest, form_errors_to, require_capability, xlsx_response
from treem.audit.models import Action
from treem.audit.services import audit_record
from treem.core.charts import BarItem, Chart, Layout, bar_chart, shorten
from treem.core.dates import today_vn
from treem.core.money import vnd
from treem.units.models import Level, Structure, Unit

from . import selectors, services
from .exports import write_ledger_xlsx
from .forms import AllocationForm
from .ledger import Ledger, ledger
from .models import FIRST_YEAR, Allocation

CHART = Layout(label=260, bar=460, row=26, width=900)
YEARS_BACK = 6


def _unit(request: AuthedRequest) -> Unit:
    """The unit asked for (`?unit=`; out of scope or missing: 404), else the user's own."""
    if "unit" in request.GET:
        unit = visible_unit(request.user, request.GET["unit"])
        if unit is None:
            raise Http404
        return unit
    unit = scope_root(request.user) or Unit.objects.filter(level=Level.NATION, structure=Structure.CURRENT).first()
    if unit is None:
        raise Http404
    return unit


def _year(request: AuthedRequest) -> int:
    this_year = today_vn().year
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and FIRST_YEAR <= int(raw) <= this_year + 1 else this_year


def _years() -> list[int]:
    this_year = today_vn().year
    return list(range(this_year + 1, this_year - YEARS_BACK, -1))


def _may_manage(request: AuthedRequest, unit: Unit) -> bool:
    return rules.MANAGE_FINANCE.allows(request.user) and unit_in_scope(request.user, unit)


def _chart(book: Ledger) -> Chart | None:
    """Spending per source (the largest is the full bar)."""
    rows = [r for r in book.sources if r.spent]
    top = max((r.spent for r in rows), default=0)
    items = []
    for r in rows:
        label = r.source.name if r.source else _("Source not given")
        items.append(BarItem(shorten(label, 28), vnd(r.spent), r.spent / top, "", label))
    return bar_chart(items, CHART)


def _below(request: AuthedRequest, unit: Unit) -> list[Unit]:
    return list(scope_queryset(request.user, unit.children.filter(is_active=True)).exclude(level=Level.VILLAGE))


@require_capability(rules.SEE_FINANCE)
def ledger_page(request: AuthedRequest) -> HttpResponse:
    unit, year = _unit(request), _year(request)
    book = ledger(unit=unit, year=year)
    parent = unit.parent if unit.parent and unit_in_scope(request.user, unit.parent) else None
    context = {
        "unit": unit, "year": year, "years": _years(), "ledger": book, "chart": _chart(book),
        "income_rows": book.table(book.income), "income_totals": book.column(book.income),
        "spending_rows": book.table(book.spending), "spending_totals": book.column(book.spending),
        "below": _below(request, unit), "parent": parent,
    }  # fmt: skip
    template = "finance/ledger.html#body" if request.htmx else "finance/ledger.html"
    return render(request, template, context)


@require_capability(rules.SEE_FINANCE)
def ledger_xlsx(request: AuthedRequest) -> FileResponse:
    unit, year = _unit(request), _year(request)
    book = ledger(unit=unit, year=year)
    response = xlsx_response(lambda out: write_ledger_xlsx(out, book), f"kinh-phi-{unit.code}-{year}.xlsx")
    audit_record(
        actor=request.user, action=Action.EXPORT, target_type="finance_ledger", target_id=unit.pk,
        unit_path=unit.path, request=request, summary=f"Xuất sổ kinh phí năm {year}",
    )  # fmt: skip
    return response


def _list_url(unit: Unit, year: int) -> str:
    return f"{reverse('finance:allocations')}?unit={unit.pk}&year={year}"


@require_capability(rules.SEE_FINANCE)
def allocations(request: AuthedRequest) -> HttpResponse:
    unit, year = _unit(request), _year(request)
    manage = _may_manage(request, unit)
    form = AllocationForm(request.POST or None, initial={"year": year})
    if request.method == "POST":
        if not manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.allocation_create(
                    actor=request.user, unit=unit, data=services.AllocationInput(**form.cleaned_data)
                )
            except ValidationError as exc:
                form_errors_to(form, exc)
            else:
                messages.success(request, _("The allocation was recorded."))
                return redirect(_list_url(unit, form.cleaned_data["year"]))
    rows = selectors.allocations(request.user, unit=unit, year=year)
    context = {
        "unit": unit, "year": year, "years": _years(), "rows": rows, "total": sum(r.amount for r in rows),
        "form": form, "may_manage": manage,
    }  # fmt: skip
    return render(request, "finance/allocations.html", context)


def _allocation(request: AuthedRequest, pk: int) -> Allocation:
    return get_for_user_or_404(request.user, Allocation.objects.select_related("unit", "source"), pk=pk)


@require_capability(rules.MANAGE_FINANCE)
def allocation_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    allocation = _allocation(request, pk)
    initial = {
        "year": allocation.year, "source": allocation.source, "amount": allocation.amount,
        "purpose": allocation.purpose, "decision_no": allocation.decision_no, "decision_date": allocation.decision_date,
    }  # fmt: skip
    form = AllocationForm(request.POST or None, initial=initial, current=allocation.source)
    if request.method == "POST" and form.is_valid():
        try:
            services.allocation_update(
                actor=request.user, allocation=allocation, data=services.AllocationInput(**form.cleaned_data)
            )
        except ValidationError as exc:
            form_errors_to(form, exc)
        else:
            messages.success(request, _("The allocation was saved."))
            return redirect(_list_url(allocation.unit, form.cleaned_data["year"]))
    return render(request, "finance/allocation_edit.html", {"allocation": allocation, "form": form})


@require_POST
@require_capability(rules.MANAGE_FINANCE)
def allocation_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    allocation = _allocation(request, pk)
    services.allocation_delete(actor=request.user, allocation=allocation)
    messages.success(request, _("The allocation was deleted."))
    return redirect(_list_url(allocation.unit, allocation.year))
