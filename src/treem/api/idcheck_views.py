"""The ID verification page (Đề án 06): download the children to verify, upload the file the commune police
returned, see what was applied."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from treem.accounts import permissions as rules
from treem.accounts.web import AuthedRequest, file_response, require_capability, xlsx_response
from treem.audit.models import Action
from treem.audit.services import audit_record
from treem.core.dates import today_vn

from .idcheck import FileVerifier, apply_answers, children_to_verify, read_upload

MAX_UPLOAD = 20 * 1024 * 1024


class AnswersForm(forms.Form):
    file = forms.FileField(label=_("File returned by the commune police (xlsx or csv)"))


def _page(request: AuthedRequest, form: AnswersForm, **extra: object) -> HttpResponse:
    context = {"form": form, "to_verify": children_to_verify(request.user).count(), **extra}
    return render(request, "api/idcheck.html", context, status=400 if form.errors else 200)


@require_capability(rules.EDIT_REGISTRY)
@require_GET
def idcheck(request: AuthedRequest) -> HttpResponse:
    return _page(request, AnswersForm())


@require_capability(rules.EXPORT_REGISTRY)
@require_GET
def idcheck_export(request: AuthedRequest, fmt: str) -> HttpResponseBase:
    children = list(children_to_verify(request.user)[:100_000])
    verifier = FileVerifier("csv" if fmt == "csv" else "xlsx")
    name = f"xac-thuc-dinh-danh-{today_vn():%Y%m%d}.{verifier.fmt}"
    audit_record(
        actor=request.user, action=Action.EXPORT, target_type="id_verification", target_id=len(children),
        unit_path=request.user.unit.path if request.user.unit else "", request=request,
        summary=f"Xuất danh sách {len(children)} trẻ cần xác thực số định danh (Đề án 06)",
    )  # fmt: skip
    if verifier.fmt == "csv":
        return file_response(lambda out: verifier.request(children, out), name, "text/csv; charset=utf-8")
    return xlsx_response(lambda out: verifier.request(children, out), name)


@require_capability(rules.EDIT_REGISTRY)
@require_POST
def idcheck_import(request: AuthedRequest) -> HttpResponse:
    form = AnswersForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form)
    upload = form.cleaned_data["file"]
    if upload.size > MAX_UPLOAD:
        form.add_error("file", _("The file is too big."))
        return _page(request, form)
    try:
        answers = read_upload(upload, FileVerifier())
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error("file", message)
        return _page(request, form)
    applied = apply_answers(actor=request.user, answers=answers, request=request)
    return _page(request, AnswersForm(), applied=applied)
