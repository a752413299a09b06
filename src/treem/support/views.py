"""Pages of support programmes: the programmes, a programme's rounds, a round's list (generate, review, approve,
export for signing, deliveries) and the Child Protection Fund's ledger. Thin: the work is in `services`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from treem.accounts import capabilities as cap
from treem.accounts import permissions as rules
from treem.accounts.scope import communes_to_choose, get_for_user_or_404, scope_root, unit_in_scope, visible_unit
from treem.accounts.web import AuthedRequest, form_errors_to, require_capability, xlsx_response
from treem.audit.models import Action
from treem.audit.services import audit_record
from treem.core.dates import today_vn
from treem.core.text import fold
from treem.registry.selectors import children_for_user, search_filter
from treem.units.models import Unit

from . import selectors, services
from .exports import write_round_xlsx
from .forms import AddForm, DeliveryForm, DonationForm, ReasonForm, RoundForm, SpendingForm
from .models import Beneficiary, BeneficiaryStatus, Programme, Round

SEARCH_LIMIT = 10


def _may_manage(request: AuthedRequest, unit: Unit) -> bool:
    return rules.EDIT_REGISTRY.allows(request.user) and unit_in_scope(request.user, unit)


def _round(request: AuthedRequest, pk: int) -> Round:
    qs = Round.objects.select_related("programme", "unit", "approved_by", "disaster")
    return get_for_user_or_404(request.user, qs, pk=pk)


def _row(round_: Round, pk: int) -> Beneficiary:
    return get_object_or_404(round_.beneficiaries.select_related("child", "village", "commune", "delivery"), pk=pk)


@require_capability(rules.SEE_REGISTRY)
@require_GET
def programmes(request: AuthedRequest) -> HttpResponse:
    return render(request, "support/programmes.html", {"programmes": selectors.programmes()})


def _unit_choices(request: AuthedRequest) -> list[tuple[str, str]]:
    root = scope_root(request.user)
    communes = communes_to_choose(request.user)
    units = [root] if root is not None else []
    if communes is not None:
        units += list(communes)
    return [(str(u.pk), u.full_path or u.name) for u in units if u is not None]


@require_capability(rules.SEE_REGISTRY)
def programme(request: AuthedRequest, code: str) -> HttpResponse:
    prog = get_object_or_404(Programme, code=code, is_active=True)
    may_create = rules.EDIT_REGISTRY.allows(request.user)
    form = RoundForm(request.POST or None, initial={"item": prog.default_item, "value": prog.default_value})
    form.fields["unit"].choices = _unit_choices(request)  # type: ignore[attr-defined]
    if request.method == "POST":
        if not may_create:
            raise PermissionDenied
        if form.is_valid():
            unit = visible_unit(request.user, form.cleaned_data["unit"] or "")
            if unit is None:
                form.add_error("unit", _("Choose a unit."))
            else:
                try:
                    round_ = services.round_create(
                        actor=request.user, programme=prog, unit=unit, on=form.cleaned_data["on"],
                        name=form.cleaned_data["name"], item=form.cleaned_data["item"],
                        value=form.cleaned_data["value"],
                    )  # fmt: skip
                except ValidationError as exc:
                    form_errors_to(form, exc)
                else:
                    return redirect("support:round", round_.pk)
    rounds = selectors.rounds_for(request.user, prog).annotate(
        listed=Count("beneficiaries", filter=~Q(beneficiaries__status=BeneficiaryStatus.EXCLUDED)),
        delivered=Count("beneficiaries__delivery"),
    )
    try:
        parsed = selectors.parse_programme_rules(prog.rules)
    except ValidationError:
        parsed = []
    context = {"programme": prog, "rounds": rounds, "rules": parsed, "form": form, "may_create": may_create}
    return render(request, "support/programme.html", context)


def _round_context(request: AuthedRequest, round_: Round, **extra: Any) -> dict[str, Any]:
    manage = _may_manage(request, round_.unit)
    rows = list(selectors.list_rows(round_))
    return {
        "round": round_,
        "rows": rows,
        "counts": {
            "listed": sum(1 for r in rows if r.status != BeneficiaryStatus.EXCLUDED),
            "excluded": sum(1 for r in rows if r.status == BeneficiaryStatus.EXCLUDED),
            "delivered": sum(1 for r in rows if hasattr(r, "delivery")),
        },
        "may_manage": manage,
        "may_approve": round_.is_draft and request.user.has_capability(cap.PLANS_APPROVE),
        "delivery_form": DeliveryForm(
            initial={"item": round_.item, "value": round_.value or 0, "delivered_on": today_vn()}
        ),
        "today": today_vn(),
        **extra,
    }


@require_capability(rules.SEE_REGISTRY)
@require_GET
def round_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    return render(request, "support/round.html", _round_context(request, round_))


def _done(request: AuthedRequest, round_: Round, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("support:round", round_.pk)


def _failed(request: AuthedRequest, round_: Round, exc: ValidationError) -> HttpResponse:
    for m in exc.messages:
        messages.error(request, m)
    return redirect("support:round", round_.pk)


@require_capability(rules.EDIT_REGISTRY)
@require_POST
def round_generate(request: AuthedRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    try:
        result = services.round_generate(actor=request.user, round_=round_)
    except ValidationError as exc:
        return _failed(request, round_, exc)
    text = _("The list was generated: %(added)s children added by the rules.") % {"added": result.added}
    if result.elsewhere:
        text += " " + _("%(n)s already on another list of this programme for the same date.") % {"n": result.elsewhere}
    return _done(request, round_, text)


@require_capability(rules.SEE_REGISTRY, cap.PLANS_APPROVE)
@require_POST
def round_approve(request: AuthedRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    try:
        services.round_approve(actor=request.user, round_=round_)
    except ValidationError as exc:
        return _failed(request, round_, exc)
    return _done(request, round_, _("The list is approved."))


@require_capability(rules.SEE_REGISTRY)
@require_GET
def round_xlsx(request: AuthedRequest, pk: int) -> FileResponse:
    round_ = _round(request, pk)
    rows = list(selectors.list_rows(round_, with_excluded=False))
    response = xlsx_response(lambda out: write_round_xlsx(out, round_, rows), f"danh-sach-ho-tro-{round_.pk}.xlsx")
    audit_record(
        actor=request.user, action=Action.EXPORT, target_type="support_round", target_id=round_.pk,
        unit_path=round_.unit_path, request=request, summary=f"Xuất danh sách ký nhận ({len(rows)} trẻ)",
    )  # fmt: skip
    return response


def _row_response(request: AuthedRequest, round_: Round, row: Beneficiary, **extra: Any) -> HttpResponse:
    """The row swapped in place: what its partial shows, not the whole list (a round has hundreds of rows)."""
    context = {
        "round": round_, "r": _row(round_, row.pk), "may_manage": _may_manage(request, round_.unit),
        "today": today_vn(), **extra,
    }  # fmt: skip
    return render(request, "support/round.html#row", context)


@require_capability(rules.EDIT_REGISTRY)
@require_POST
def row_exclude(request: AuthedRequest, pk: int, row_pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    row = _row(round_, row_pk)
    form = ReasonForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            row = services.beneficiary_exclude(actor=request.user, beneficiary=row, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = _("Say why the child is excluded.")
    return _row_response(request, round_, row, row_error=error, error_row=row.pk)


@require_capability(rules.EDIT_REGISTRY)
@require_POST
def row_restore(request: AuthedRequest, pk: int, row_pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    row = _row(round_, row_pk)
    error = ""
    try:
        row = services.beneficiary_restore(actor=request.user, beneficiary=row)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    return _row_response(request, round_, row, row_error=error, error_row=row.pk)


@require_capability(rules.EDIT_REGISTRY)
@require_POST
def row_deliver(request: AuthedRequest, pk: int, row_pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    row = _row(round_, row_pk)
    form = DeliveryForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.delivery_record(
                actor=request.user, beneficiary=row, data=services.DeliveryInput(**form.cleaned_data)
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    return _row_response(request, round_, row, row_error=error, error_row=row.pk)


@require_capability(rules.EDIT_REGISTRY)
@require_POST
def round_deliver_all(request: AuthedRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    form = DeliveryForm(request.POST)
    if not form.is_valid():
        context = _round_context(request, round_, delivery_form=form)
        return render(request, "support/round.html", context, status=400)
    try:
        n = services.deliveries_record_all(
            actor=request.user, round_=round_, data=services.DeliveryInput(**form.cleaned_data)
        )
    except ValidationError as exc:
        form_errors_to(form, exc)
        return render(request, "support/round.html", _round_context(request, round_, delivery_form=form), status=400)
    return _done(request, round_, _("Deliveries recorded for %(n)s children.") % {"n": n})


@require_capability(rules.EDIT_REGISTRY)
@require_GET
def child_search(request: AuthedRequest, pk: int) -> HttpResponse:
    """HTMX: children of the round's unit (in the user's scope) whose name or ID starts with the typed words."""
    return child_search_results(request, _round(request, pk).unit_path)


def child_search_results(request: AuthedRequest, unit_path: str) -> HttpResponse:
    """The children under `unit_path` (in the user's scope) whose name or ID starts with the typed words, as the
    results of the pick-a-child form (`support/_child_pick.html`)."""
    query = request.GET.get("q", "").strip()[:100]
    results: list[Any] = []
    if len(fold(query)) >= 2:
        qs = children_for_user(request.user).filter(unit_path__path_prefix=unit_path)
        qs = search_filter(qs, query).select_related("commune", "village").order_by("name_key")
        results = list(qs[:SEARCH_LIMIT])
    return render(request, "support/_child_pick.html#search_results", {"results": results, "query": query})


@require_capability(rules.EDIT_REGISTRY)
@require_POST
def row_add(request: AuthedRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    form = AddForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a child and say why the child is added."))
        return redirect("support:round", round_.pk)
    child = children_for_user(request.user).filter(pk=form.cleaned_data["child"]).first()
    if child is None:
        raise Http404
    try:
        services.beneficiary_add(actor=request.user, round_=round_, child=child, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        return _failed(request, round_, exc)
    return _done(request, round_, _("%(name)s was added to the list.") % {"name": child.full_name})


# --- the Child Protection Fund ------------------------------------------------------------------------------------


@require_capability(rules.SEE_REGISTRY)
def fund(request: AuthedRequest) -> HttpResponse:
    unit = visible_unit(request.user, request.GET.get("unit", "")) or scope_root(request.user)
    if unit is None:
        unit = Unit.objects.filter(level="nation", structure="current").first()
    if unit is None:
        raise Http404
    manage = _may_manage(request, unit)
    donation_form = DonationForm(request.POST if request.POST.get("form") == "donation" else None)
    spending_form = SpendingForm(request.POST if request.POST.get("form") == "spending" else None)
    if request.method == "POST":
        if not manage:
            raise PermissionDenied
        try:
            if donation_form.is_bound and donation_form.is_valid():
                services.donation_record(actor=request.user, unit=unit, **donation_form.cleaned_data)
                messages.success(request, _("The donation was recorded."))
                return redirect(f"{request.path}?unit={unit.pk}")
            if spending_form.is_bound and spending_form.is_valid():
                services.fund_spend(actor=request.user, unit=unit, **spending_form.cleaned_data)
                messages.success(request, _("The spending was recorded."))
                return redirect(f"{request.path}?unit={unit.pk}")
        except ValidationError as exc:
            form_errors_to(donation_form if donation_form.is_bound else spending_form, exc)
    context = {
        "unit": unit,
        "ledger": selectors.fund_ledger(request.user, unit),
        "may_manage": manage,
        "donation_form": donation_form,
        "spending_form": spending_form,
    }
    return render(request, "support/fund.html", context)
