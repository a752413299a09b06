"""The chairman's decisions and the case's moves between communes: refusing a proposed closure, transferring a case
to the commune where the child now lives, and the sending commune's read-only view of what it recorded."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from treem.accounts.web import AuthedRequest, form_errors_to, require_login
from treem.audit.models import Action
from treem.audit.services import audit_record
from treem.cases import selectors, services
from treem.cases.access import can_approve, on_case_team
from treem.cases.forms import RefuseClosureForm, TransferForm
from treem.cases.models import EventKind, Status
from treem.units.models import Level, Unit

from .case_file import decision_lines
from .common import case_for_write, read_case


@require_login  # which cases: `cases_for_user`, 404 for the others
@require_POST
def closure_refuse(request: AuthedRequest, pk: int) -> HttpResponse:
    """NĐ 56 Art. 30.1c: the chairman does not close the case; it goes back to the step it was proposed from."""
    case = case_for_write(request, pk)
    if not can_approve(request.user, case):
        raise PermissionDenied
    form = RefuseClosureForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the case is not closed."))
        return redirect("cases:detail", pk=case.pk)
    try:
        services.closure_refuse(
            actor=request.user, case=case, note=form.cleaned_data["note"], at=form.cleaned_data["at"],
            request=request,
        )  # fmt: skip
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The closure was refused."))
    return redirect("cases:detail", pk=case.pk)


def _communes(exclude: int) -> object:
    return (
        Unit.objects.filter(level=Level.COMMUNE, is_active=True)
        .exclude(pk=exclude)
        .select_related("parent")
        .order_by("path")
    )


@require_login  # which cases: `cases_for_user`, 404 for the others
def transfer(request: AuthedRequest, pk: int) -> HttpResponse:
    """Luật Trẻ em Art. 52.2: transfer the case, with its history, to the commune where the child now lives."""
    what = "Mở biểu mẫu chuyển vụ việc {code}"
    case = case_for_write(request, pk) if request.method == "POST" else read_case(request, pk, what)
    if not (on_case_team(request.user, case) and case.is_open):
        raise PermissionDenied
    form = TransferForm(request.POST or None, communes=_communes(case.commune_id))
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.case_transfer(
                    actor=request.user, case=case, to_commune=d["to_commune"], reason=d["reason"], at=d["at"],
                    request=request,
                )  # fmt: skip
            except ValidationError as exc:
                form_errors_to(form, exc)
            else:
                messages.success(request, _("The case was transferred to %(commune)s.") % {"commune": d["to_commune"]})
                return redirect("cases:sent_detail", pk=case.pk)
        case = read_case(request, pk, what)
    return render(request, "cases/transfer.html", {"case": case, "form": form})


@require_login  # which cases: the transfers out of the user's commune that they took part in, 404 for the others
@require_GET
def sent_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """What the sending commune recorded, up to the transfer: read-only, audited."""
    case, sent, events = selectors.sent_case_get(request.user, pk, request=request)
    timeline = [
        {"event": e, "lines": decision_lines(e),
         "title": Status(e.to_status).label if e.kind == EventKind.TRANSITION else EventKind(e.kind).label}
        for e in events
    ]  # fmt: skip
    return render(request, "cases/sent_detail.html", {"case": case, "transfer": sent, "timeline": timeline})


@require_login
@require_GET
def sent_list(request: AuthedRequest) -> HttpResponse:
    transfers = selectors.sent_cases(request.user)
    if transfers:
        audit_record(
            actor=request.user, action=Action.LIST, target_type="case",
            target_id=",".join(str(t.case_id) for t in transfers)[:40], unit_path=transfers[0].from_path,
            summary=f"Danh sách {len(transfers)} vụ việc đã chuyển đi", request=request,
            extra={"ids": [t.case_id for t in transfers]},
        )  # fmt: skip
    return render(request, "cases/sent_list.html", {"transfers": transfers, "closed": Status.CLOSED})
