"""Report pages: the open cycles, a cycle's completeness under a unit, a unit's report (figures, narratives written
in the page, attachments, the steps) and its submit / return / approve actions."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from treem.accounts import capabilities as cap
from treem.accounts import permissions as rules
from treem.accounts.scope import get_for_user_or_404, get_or_404, is_unrestricted, scope_queryset, scope_root
from treem.accounts.web import AuthedRequest, require_capability
from treem.units.models import Level, Structure, Unit

from . import document, selectors, services
from .models import Attachment, Cycle, Report
from .sections import extra_sections

SEE = rules.SEE_REPORTS


def _home(request: AuthedRequest) -> Unit:
    root = scope_root(request.user)
    if root is not None:
        return root
    if is_unrestricted(request.user):
        nation = Unit.objects.filter(structure=Structure.CURRENT, level=Level.NATION).first()
        if nation is not None:
            return nation
    raise Http404


def _unit(request: AuthedRequest, text: str | None) -> Unit:
    if not text:
        return _home(request)
    if not text.isdigit():
        raise Http404
    return get_or_404(scope_queryset(request.user, Unit.objects.all()), pk=int(text))


def _report(request: AuthedRequest, pk: int) -> Report:
    return get_for_user_or_404(request.user, Report.objects.select_related("cycle__report_type", "unit"), pk=pk)


@require_capability(SEE)
@require_GET
def index(request: AuthedRequest) -> HttpResponse:
    """The open cycles: the user's own report in each, and where sub-units report to the user's unit, their count."""
    home = _home(request)
    cycles = []
    for cycle in selectors.open_cycles():
        if cycle.structure != home.structure:
            continue
        own = services.report_of(cycle, home) if cycle.deadline_for(home.level) else None
        subs = selectors.completeness(cycle, home) if services.has_reporting_subunits(cycle, home) else None
        if cycle.deadline_for(home.level) or subs is not None:
            cycles.append({"cycle": cycle, "own": own, "deadline": cycle.deadline_for(home.level), "subs": subs})
    return render(request, "reporting/index.html", {"home": home, "cycles": cycles})


@require_capability(SEE)
@require_GET
def cycle_view(request: AuthedRequest, cycle_id: int) -> HttpResponse:
    """Completeness and timeliness of a cycle under a unit: each sub-unit's status, in a table and a chart."""
    cycle = get_or_404(Cycle.objects.select_related("report_type"), pk=cycle_id)
    unit = _unit(request, request.GET.get("unit"))
    data = selectors.completeness(cycle, unit)
    own = services.report_of(cycle, unit) if cycle.deadline_for(unit.level) else None
    context = {
        "cycle": cycle, "data": data, "unit": unit, "own": own,
        "can_start": own is None and services.may_start(request.user, cycle, unit),
    }  # fmt: skip
    return render(request, "reporting/cycle.html", context)


@require_capability(cap.REPORTS_SUBMIT)
@require_POST
def start(request: AuthedRequest, cycle_id: int) -> HttpResponse:
    cycle = get_or_404(Cycle.objects.select_related("report_type"), pk=cycle_id)
    unit = _home(request)
    try:
        report = services.start_report(cycle=cycle, unit=unit, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(reverse("reporting:cycle", args=[cycle.pk]))
    return HttpResponseRedirect(reverse("reporting:detail", args=[report.pk]))


class TextForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("Document number"), max_length=40, required=False)
    signer_name = forms.CharField(label=gettext_lazy("Signed by"), max_length=120, required=False)
    signer_title = forms.CharField(
        label=gettext_lazy("Signer's title"), max_length=120, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: object, sections: list[dict[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.sections = sections
        for s in sections:
            self.fields[f"s_{s['code']}"] = forms.CharField(
                label=s["title"], help_text=s["guidance"], required=False, widget=forms.Textarea(attrs={"rows": 5})
            )

    def section_fields(self) -> list[forms.BoundField]:
        return [self[f"s_{s['code']}"] for s in self.sections]


def _text_form(report: Report, data: object = None) -> TextForm:
    initial = {f"s_{k}": v for k, v in report.narratives.items()}
    initial |= {"number": report.number, "signer_name": report.signer_name, "signer_title": report.signer_title}
    return TextForm(data, initial=initial, sections=report.cycle.report_type.sections())


def _context(request: AuthedRequest, report: Report, form: TextForm | None = None) -> dict[str, object]:
    user = request.user
    editable = services.may_edit(user, report)
    cycle, unit = report.cycle, report.unit
    consolidating = services.has_reporting_subunits(cycle, unit)
    return {
        "report": report, "cycle": cycle, "unit": unit,
        "figures": selectors.figure_rows(report, exact=user.has_capability(cap.FIGURES_EXACT)),
        "sections": [(s, report.narratives.get(s["code"], "")) for s in cycle.report_type.sections()],
        "form": form or (_text_form(report) if editable else None),
        "editable": editable, "reviewable": services.may_review(user, report),
        "steps": report.steps.select_related("actor"), "attachments": report.attachments.all(),
        "completeness": selectors.completeness(cycle, unit) if consolidating else None,
        "sub_narratives": selectors.sub_narratives(cycle, unit) if consolidating else [],
        "extra_sections": extra_sections(report),
    }  # fmt: skip


@require_capability(SEE)
@require_GET
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    return render(request, "reporting/report.html", _context(request, report))


@require_capability(cap.REPORTS_SUBMIT)
@require_POST
def save(request: AuthedRequest, pk: int) -> HttpResponse:
    """Save the narrative sections, the number and the signer (HTMX: the form comes back in place)."""
    report = _report(request, pk)
    if not services.may_edit(request.user, report):
        raise PermissionDenied
    form = _text_form(report, request.POST)
    saved = False
    if form.is_valid():
        d = form.cleaned_data
        report = services.save_text(
            report=report, actor=request.user, request=request,
            narratives={s["code"]: d[f"s_{s['code']}"] for s in form.sections},
            number=d["number"], signer_name=d["signer_name"], signer_title=d["signer_title"],
        )  # fmt: skip
        saved = True
    if request.htmx or not saved:
        context = {**_context(request, report, form), "saved": saved}
        return render(request, "reporting/report.html#text" if request.htmx else "reporting/report.html", context)
    messages.success(request, _("Saved."))
    return HttpResponseRedirect(reverse("reporting:detail", args=[report.pk]))


def _act(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    report = _report(request, pk)
    try:
        match action:
            case "refresh":
                services.refresh_figures(report=report, actor=request.user, request=request)
                messages.success(request, _("Figures updated."))
            case "submit":
                services.submit(report=report, actor=request.user, request=request)
                messages.success(request, _("The report was submitted to the level above."))
            case "return":
                services.return_report(
                    report=report, actor=request.user, comment=request.POST.get("comment", ""), request=request
                )
                messages.success(request, _("The report was returned for correction."))
            case "approve":
                services.approve(
                    report=report, actor=request.user, comment=request.POST.get("comment", ""), request=request
                )
                messages.success(request, _("The report was approved."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return HttpResponseRedirect(reverse("reporting:detail", args=[report.pk]))


@require_capability(cap.REPORTS_SUBMIT)
@require_POST
def refresh(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "refresh")


@require_capability(cap.REPORTS_SUBMIT)
@require_POST
def submit(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "submit")


@require_capability(cap.REPORTS_REVIEW)
@require_POST
def return_view(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "return")


@require_capability(cap.REPORTS_REVIEW)
@require_POST
def approve(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "approve")


@require_capability(cap.REPORTS_SUBMIT)
@require_POST
def attach(request: AuthedRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file."))
    else:
        try:
            services.add_attachment(report=report, actor=request.user, upload=upload, request=request)
            messages.success(request, _("File attached."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return HttpResponseRedirect(reverse("reporting:detail", args=[report.pk]))


@require_capability(SEE)
@require_GET
def attachment(request: AuthedRequest, pk: int) -> FileResponse:
    att = get_or_404(Attachment.objects.select_related("report"), pk=pk)
    _report(request, att.report_id)  # in the reader's scope, else 404
    return FileResponse(att.file.open("rb"), as_attachment=True, filename=att.name)


def _document(request: AuthedRequest, pk: int, fmt: str) -> HttpResponse:
    report = _report(request, pk)
    exact = request.user.has_capability(cap.FIGURES_EXACT)
    data, content_type = (
        (document.pdf(report, exact=exact), document.PDF)
        if fmt == "pdf"
        else (document.docx(report, exact=exact), document.DOCX)
    )
    services.record_download(report=report, actor=request.user, fmt=fmt, request=request)
    response = HttpResponse(data, content_type=content_type)
    disposition = "inline" if fmt == "pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="bao-cao-{report.cycle.code}-{report.unit.code}.{fmt}"'
    return response


@require_capability(SEE)
@require_GET
def document_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    return _document(request, pk, "pdf")


@require_capability(SEE)
@require_GET
def document_docx(request: AuthedRequest, pk: int) -> HttpResponse:
    return _document(request, pk, "docx")
