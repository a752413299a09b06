"""Import pages: upload a workbook, confirm its columns, see the dry run, download the errors, save it.

The dry run and the commit run as tasks (`imports.tasks`); the detail page polls a small status partial while the
job runs and reloads itself (HX-Refresh) when the job is done, so a reload at any moment shows the database state.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from treem.accounts import permissions as rules
from treem.accounts.scope import communes_to_choose, get_for_user_or_404, scope_queryset, scope_root
from treem.accounts.web import AuthedRequest, require_capability, xlsx_response
from treem.units.models import Unit

from . import selectors, tasks
from .forms import MappingForm, UploadForm
from .lease import read_progress
from .models import UPDATES, ImportJob, JobStatus, RowStatus
from .outputs import write_error_workbook, write_template
from .pipeline import job_source
from .readers import ReadError, cell_text
from .services import GROUPS_START_ON_IMPORT, copy_to_temp, job_create, job_set_mapping

PAGE_SIZE = 100
RECENT_JOBS = 20
SAMPLE_ROWS = 3
TEMPLATE_FILENAME = "mau-danh-sach-tre-em.xlsx"
RESULT_LABELS = {
    "children_created": gettext_lazy("Children added"),
    "children_updated": gettext_lazy("Children updated"),
    "households_created": gettext_lazy("Households added"),
    "villages_created": gettext_lazy("Villages added"),
    "adults_created": gettext_lazy("Parents and caregivers added"),
    "circumstances_created": gettext_lazy("Special circumstances recorded"),
    "circumstances_extended": gettext_lazy("Special circumstance periods extended"),
    "circumstances_kept": gettext_lazy("Special circumstances already recorded"),
    "incidents_created": gettext_lazy("Injuries recorded"),
    "incidents_kept": gettext_lazy("Injuries already recorded"),
    "rows_skipped_error": gettext_lazy("Rows skipped: errors"),
    "rows_skipped_duplicate": gettext_lazy("Rows skipped: duplicates"),
    "rows_skipped_footer": gettext_lazy("Rows skipped: below the table (totals, signatures)"),
}


def _job(request: AuthedRequest, pk: int) -> ImportJob:
    job = get_for_user_or_404(request.user, ImportJob.objects.select_related("unit", "created_by"), pk=pk)
    if job.status in tasks.RUNNING and tasks.recover_stale(pks=[job.pk]):
        job.refresh_from_db()
    return job


def _create_from_upload(user: Any, unit: Unit, upload: UploadedFile) -> ImportJob:
    with tempfile.TemporaryDirectory(prefix="treem-upload-") as tmp:
        path = copy_to_temp(upload, Path(tmp) / "upload")
        return job_create(actor=user, unit=unit, path=path, original_name=upload.name or "import")


@require_capability(rules.RUN_IMPORTS)
def job_list(request: AuthedRequest) -> HttpResponse:
    communes = communes_to_choose(request.user)  # None: the user's own commune
    form = UploadForm(request.POST or None, request.FILES or None, communes=communes)
    if request.method == "POST" and form.is_valid():
        unit = form.cleaned_data["commune"] if communes is not None else scope_root(request.user)
        assert unit is not None  # noqa: S101 - the form asks for a commune unless the user works for one
        try:
            job = _create_from_upload(request.user, unit, form.cleaned_data["file"])
        except ReadError as exc:
            form.add_error("file", exc.message)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("imports:mapping", pk=job.pk)
    jobs = scope_queryset(request.user, ImportJob.objects.select_related("unit", "created_by"))
    status = request.GET.get("status", "")
    status = status if status in JobStatus.values else ""
    if status:  # e.g. `validated`: checked and waiting to be saved (the home page counts them)
        jobs = jobs.filter(status=status)
    jobs = jobs[:RECENT_JOBS]
    if tasks.recover_stale(pks=[job.pk for job in jobs if job.status in tasks.RUNNING]):
        jobs = jobs.all()  # show the recovered jobs' new state
    context = {
        "form": form, "jobs": jobs, "own_commune": scope_root(request.user) if communes is None else None,
        "status": JobStatus(status) if status else None,
    }  # fmt: skip
    return render(request, "imports/list.html", context)


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: the column names a spreadsheet shows."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass
class Column:
    letter: str
    header: str
    samples: list[str]
    field: Any  # the bound select


def _samples(job: ImportJob) -> list[list[Any]]:
    try:
        return [values for _n, values, _raw in islice(job_source(job).data_rows(), SAMPLE_ROWS)]
    except ReadError:
        return []


@require_capability(rules.RUN_IMPORTS)
def job_mapping(request: AuthedRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    if job.status not in tasks.REMAPPABLE:
        messages.info(request, _("This import is being processed or was already saved."))
        return redirect("imports:detail", pk=job.pk)
    if not job.file:
        messages.info(request, _("The uploaded file was deleted; upload it again."))
        return redirect("imports:detail", pk=job.pk)
    headers = [cell_text(h) for h in job.headers]
    form = MappingForm(request.POST or None, headers=headers, mapping=job.mapping, columns=job.column_indexes)
    if request.method == "POST" and form.is_valid():
        try:
            job_set_mapping(actor=request.user, job=job, mapping=form.mapping())
            tasks.validate_enqueue(job)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("imports:detail", pk=job.pk)
    rows = _samples(job)
    columns = [
        Column(column_letter(i), headers[i], [cell_text(r[i]) for r in rows if i < len(r)], form[f"col_{i}"])
        for i in job.column_indexes
    ]
    return render(request, "imports/mapping.html", {"job": job, "form": form, "columns": columns})


def _status_context(job: ImportJob) -> dict[str, Any]:
    if job.status == JobStatus.COMMITTING:  # the rows stored of the rows to store
        done, total = read_progress(job), sum(job.counts.get(s, 0) for s in tasks.STORABLE)
    else:
        done, total = job.processed_rows, job.total_rows
    return {
        "job": job,
        "running": job.status in tasks.RUNNING,
        "progress": (done, total, min(100, round(100 * done / total)) if total else 0),
        "counts": [(code, label, job.counts.get(code, 0)) for code, label in RowStatus.choices],
        "groups_start_on_import": job.counts.get(GROUPS_START_ON_IMPORT, 0) if job.status == JobStatus.VALIDATED else 0,
        "updates": job.counts.get(UPDATES, 0),
    }


@require_capability(rules.RUN_IMPORTS)
@require_GET
def job_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    status = request.GET.get("status", "")
    page = Paginator(selectors.preview_issues(job, status=status), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        **_status_context(job),
        "page": page,
        "issues": selectors.preview_rows(request.user, page.object_list),
        "filters": selectors.preview_filters(job),
        "status_filter": status,
        "can_commit": tasks.can_commit(job),
        "can_remap": job.status in tasks.REMAPPABLE and bool(job.file),  # what job_mapping accepts
        "storable": sum(job.counts.get(s, 0) for s in tasks.STORABLE),
        "has_results": job.status in (JobStatus.VALIDATED, JobStatus.COMMITTED),
        "has_file": bool(job.file),
        "result": [(label, job.result[key]) for key, label in RESULT_LABELS.items() if job.result.get(key)],
    }
    return render(request, "imports/detail.html#rows" if request.htmx else "imports/detail.html", context)


@require_capability(rules.RUN_IMPORTS)
@require_GET
def job_status(request: AuthedRequest, pk: int) -> HttpResponse:
    """The polled partial; once the job stops running the whole page reloads to show the results."""
    job = _job(request, pk)
    response = render(request, "imports/detail.html#status", _status_context(job))
    if job.status not in tasks.RUNNING:
        response["HX-Refresh"] = "true"
    return response


@require_capability(rules.RUN_IMPORTS)
@require_POST
def job_commit(request: AuthedRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    try:
        tasks.commit_enqueue(job, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("imports:detail", pk=job.pk)


@require_capability(rules.RUN_IMPORTS)
@require_GET
def job_errors(request: AuthedRequest, pk: int) -> HttpResponseBase:
    job = _job(request, pk)
    if job.status not in (JobStatus.VALIDATED, JobStatus.COMMITTED):
        messages.info(request, _("The error workbook is ready once the file is checked."))
        return redirect("imports:detail", pk=job.pk)
    if not job.file:
        messages.info(request, _("The uploaded file was deleted; upload it again."))
        return redirect("imports:detail", pk=job.pk)
    return xlsx_response(lambda out: write_error_workbook(job, out), f"loi-{Path(job.original_name).stem}.xlsx")


@require_capability(rules.RUN_IMPORTS)
@require_GET
def template_download(request: AuthedRequest) -> FileResponse:
    return xlsx_response(write_template, TEMPLATE_FILENAME)
