"""Duplicate candidates, the decisions on them, merges (kept so they can be undone) and matching runs.

Nothing here changes a registry table: a merge is a row that remembers both children's values before it and every
row it moved (the registry's merge service wrote them); the merged-away child stays in the registry, marked
`Child.merged_into`, the one record of "merged".
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from treem.registry.models import Child
from treem.units.models import Unit


class CandidateStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    MERGED = "merged", _("Same child (merged)")
    DIFFERENT = "different", _("Different children")
    UNSURE = "unsure", _("Unsure")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")


class RunSource(models.TextChoices):
    PAGE = "page", _("Started from the review page")
    COMMAND = "command", _("Started from the command line")
    IMPORT = "import", _("After an import")


class MatchRun(models.Model):
    """One pass of the matcher over the children of a unit (and below), with its progress."""

    SCOPE_PATH_FIELD = "unit_path"
    STAGES = ("reading", "blocking", "scoring", "saving")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    unit_path = models.CharField(max_length=120, blank=True, db_index=True, editable=False)
    source = models.CharField(max_length=10, choices=RunSource.choices, default=RunSource.PAGE)
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    stage = models.CharField(max_length=20, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    records = models.PositiveIntegerField(_("children compared"), default=0)
    candidates = models.PositiveIntegerField(_("pairs compared"), default=0)
    pairs_found = models.PositiveIntegerField(_("pairs above the review threshold"), default=0)
    new_pairs = models.PositiveIntegerField(_("new pairs to review"), default=0)
    auto_merged = models.PositiveIntegerField(_("merged automatically"), default=0)
    error = models.TextField(blank=True)
    # a run after an import: the ids of the children the import stored, each compared with its candidates from the
    # whole registry (found by the blocking keys); null: every child under unit_path with every other
    child_ids = models.JSONField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.unit or '*'} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)

    @property
    def progress_percent(self) -> int:
        """Overall progress: each stage is a quarter, the stage's own progress inside it."""
        if self.status == RunStatus.DONE:
            return 100
        if self.stage not in self.STAGES:
            return 0
        inside = min(1.0, self.done / self.total) if self.total else 0.0
        return round(100 * (self.STAGES.index(self.stage) + inside) / len(self.STAGES))


class MatchCandidate(models.Model):
    """Two registry children that may be the same child; the pair is stored once, lower id first."""

    child_a = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    child_b = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField(_("match probability"))
    features = models.JSONField(default=dict, blank=True, help_text=_("comparison level of each field"))
    status = models.CharField(
        _("status"), max_length=10, choices=CandidateStatus.choices, default=CandidateStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    run = models.ForeignKey(MatchRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("duplicate candidate")
        verbose_name_plural = _("duplicate candidates")
        ordering = ["-probability", "pk"]
        indexes = [models.Index(fields=["status", "-probability"], name="match_candidate_queue")]
        constraints = [
            models.UniqueConstraint(fields=["child_a", "child_b"], name="match_candidate_unique_pair"),
            models.CheckConstraint(condition=Q(child_a__lt=F("child_b")), name="match_candidate_ordered_pair"),
        ]

    def __str__(self) -> str:
        return f"#{self.child_a_id} ~ #{self.child_b_id} ({self.probability:.2f})"


class Merge(models.Model):
    """A merge of `other` into `survivor`: both records' values before it and every row it moved, for undo."""

    survivor = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    other = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    candidate = models.ForeignKey(
        MatchCandidate, on_delete=models.SET_NULL, null=True, blank=True, related_name="merges"
    )
    automatic = models.BooleanField(_("merged automatically"), default=False)
    chosen_values = models.JSONField(default=dict, blank=True)
    survivor_before = models.JSONField(default=dict)
    other_before = models.JSONField(default=dict)
    moved = models.JSONField(default=list, blank=True, help_text=_("[model, field, id] of every row moved"))
    survivor_version = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    merged_at = models.DateTimeField(auto_now_add=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        ordering = ["-merged_at", "-pk"]
        indexes = [models.Index(fields=["other", "undone_at"], name="merge_other_active")]

    def __str__(self) -> str:
        return f"#{self.other_id} → #{self.survivor_id}"

    @property
    def is_active(self) -> bool:
        return self.undone_at is None
