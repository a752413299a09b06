"""Monthly snapshots of each commune's data-quality figures, for the trend (the live table computes them)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from treem.units.models import Unit


class Snapshot(models.Model):
    """One commune's figures as they stood at the end of a month (or on the day taken, for the running month).

    Taken by `treem quality snapshot` (cron or the worker, monthly); taking a month again replaces its rows."""

    SCOPE_PATH_FIELD = "unit_path"

    month = models.DateField(_("month"), help_text=_("The first day of the month"))
    commune = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("commune"))
    unit_path = models.CharField(max_length=120, editable=False, db_index=True)
    children = models.PositiveIntegerField(default=0)
    no_id = models.PositiveIntegerField(default=0)
    dob_inexact = models.PositiveIntegerField(default=0)
    no_guardian = models.PositiveIntegerField(default=0)
    no_village = models.PositiveIntegerField(default=0)
    households = models.PositiveIntegerField(default=0)
    not_visited = models.PositiveIntegerField(default=0)
    days_since_update = models.PositiveIntegerField(null=True, blank=True)
    duplicates_pending = models.PositiveIntegerField(default=0)
    id_verified = models.PositiveIntegerField(default=0)
    id_corrected = models.PositiveIntegerField(default=0)
    id_not_found = models.PositiveIntegerField(default=0)
    score = models.FloatField(_("gap score"))
    taken_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("data-quality snapshot")
        verbose_name_plural = _("data-quality snapshots")
        ordering = ["month", "unit_path"]
        constraints = [models.UniqueConstraint(fields=["month", "commune"], name="quality_snapshot_month_commune")]
        indexes = [models.Index(fields=["unit_path", "month"], name="quality_snapshot_path_month")]

    def __str__(self) -> str:
        return f"{self.commune_id} {self.month:%m/%Y}"
