"""Import jobs: a workbook taken from upload to commit, its row issues, and the column mappings a unit uses."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from treem.registry.models import Child
from treem.units.models import Unit


class JobStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    VALIDATING = "validating", _("Checking")
    VALIDATED = "validated", _("Checked")
    COMMITTING = "committing", _("Saving")
    COMMITTED = "committed", _("Saved")
    FAILED = "failed", _("Failed")


RUNNING = (JobStatus.VALIDATING, JobStatus.COMMITTING)  # a worker is on the job (it holds its lease)


class RowStatus(models.TextChoices):
    """A row's status, with the one label the pages and the error workbook show (Vietnamese in the workbook)."""

    OK = "ok", _("Valid")
    WARNING = "warning", _("Warning")
    ERROR = "error", _("Error")
    DUPLICATE = "duplicate", _("Duplicate")
    FOOTER = "footer", _("Skipped (below the table)")  # totals, signatures, the date line: never stored


STORED = (RowStatus.OK, RowStatus.WARNING)  # the rows a commit stores
SKIPPED = (RowStatus.ERROR, RowStatus.DUPLICATE, RowStatus.FOOTER)  # the rows it does not
UPDATES = "update"  # ImportJob.counts: how many stored rows update a registered child (the rest add one)


class ImportJob(models.Model):
    SCOPE_PATH_FIELD = "unit_path"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("commune"))
    unit_path = models.CharField(max_length=120, db_index=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    file = models.FileField(upload_to="imports/%Y/%m/", max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    file_sha256 = models.CharField(max_length=64, db_index=True)
    sheet_name = models.CharField(_("sheet"), max_length=100, blank=True)
    header_row = models.PositiveIntegerField(_("header row"), null=True, blank=True)
    headers = models.JSONField(default=list, blank=True)
    mapping = models.JSONField(default=dict, blank=True, help_text=_("column index -> Treem field"))
    status = models.CharField(_("status"), max_length=12, choices=JobStatus.choices, default=JobStatus.UPLOADED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    error_message = models.TextField(blank=True)
    validated_at = models.DateTimeField(null=True, blank=True)
    committed_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True, help_text=_("what the commit created and updated"))
    # the columns with a header or data (indexes into headers); empty: every column of `headers`
    columns = models.JSONField(default=list, blank=True)
    # a running job's lease: the process working on it renews lease_until; once it has passed the job is stale
    lease_token = models.CharField(max_length=32, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)  # the queued task working on the job, if any
    file_refused = models.BooleanField(default=False)  # the file cannot be read: its copy is deleted at once
    file_deleted_at = models.DateTimeField(null=True, blank=True)
    # what the dry run's staged rows (ImportIssue.staged) were checked against: the file, the mapping, the commune's
    # villages and vocabularies, the day (`staging.context_key`) and the registry (`staging.registry_key`)
    staged_context = models.CharField(max_length=64, blank=True)
    staged_registry = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def column_indexes(self) -> list[int]:
        return list(self.columns) if self.columns else list(range(len(self.headers)))

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))


class ImportIssue(models.Model):
    """One row of the file as the dry run saw it (every row, for the preview): its status, what to fix, what the
    cleaners changed, and the registered child it will update; keyed by the sheet's own row number."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="issues")
    source_row = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=RowStatus.choices)
    messages = models.JSONField(default=list)  # [[column label, message], ...]
    values = models.JSONField(default=dict)  # the cleaned values the preview shows
    changes = models.JSONField(default=list, blank=True)  # [[field, before, after, {"msgid": …}], …]
    existing_child = models.ForeignKey(
        Child, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_constraint=False
    )  # the registered child this row will update (matched when the file was checked)
    # a row the commit stores (ok, warning): every cleaned value, as the commit takes it (see `staging`); else null
    staged = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["job", "source_row"]
        indexes = [models.Index(fields=["job", "status", "source_row"], name="issue_job_status_row")]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.source_row} {self.status}"


class ColumnMapping(models.Model):
    """A header a unit's workbooks use, remembered with the field the user chose for it."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    header_key = models.CharField(max_length=200)
    field = models.CharField(max_length=40)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "header_key"], name="column_mapping_unique_header")]

    def __str__(self) -> str:
        return f"{self.header_key} → {self.field}"
