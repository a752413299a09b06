"""The legal clocks as data: the rules, the deadlines they open, the working-day adjustments."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .case import Case


class ClockRule(models.Model):
    """A legal time limit as data: starts at an event, stops at another, lasts hours, days or working days."""

    class Unit(models.TextChoices):
        HOURS = "hours", _("hours")
        DAYS = "days", _("calendar days")
        WORKING_DAYS = "working_days", _("working days")
        MONTHS = "months", _("months")

    code = models.SlugField(unique=True)
    name_vi = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    start_on = models.JSONField(default=list, help_text=_("statuses or event kinds that start the clock"))
    stop_on = models.JSONField(default=list, blank=True, help_text=_("statuses or event kinds that stop it"))
    amount = models.PositiveIntegerField()
    unit = models.CharField(max_length=14, choices=Unit.choices)
    only_if_emergency = models.BooleanField(default=False)
    skip_if_emergency = models.BooleanField(default=False)
    legal_basis = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    # --- clock data (h6): where the count starts, the warning, and what outlives the case
    count_from_intake = models.BooleanField(
        default=False, help_text=_("counted from the intake time, whenever the start event happens (once per case)")
    )
    cumulative = models.BooleanField(
        default=False, help_text=_("a limit in total: a new start gets only what earlier runs left")
    )
    warn_after = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("send a 'due soon' notice this long after the start")
    )
    warn_unit = models.CharField(max_length=14, choices=Unit.choices, blank=True)
    survives_closure = models.BooleanField(
        default=False, help_text=_("follows a placement, not the case: still watched after the case is closed")
    )

    class Meta:
        verbose_name = _("legal time limit")
        verbose_name_plural = _("legal time limits")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    def starts_on(self, name: str) -> bool:
        return name in (self.start_on if isinstance(self.start_on, list) else [self.start_on])


class Deadline(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    rule = models.ForeignKey(ClockRule, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    due_at = models.DateTimeField(db_index=True)
    met_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    warn_at = models.DateTimeField(null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    stopped_by = models.CharField(max_length=40, blank=True)  # the status or event kind that stopped the clock

    class Meta:
        ordering = ["due_at"]
        indexes = [
            models.Index(fields=["due_at"], name="deadline_open_due", condition=Q(met_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.rule.code} {self.due_at:%d/%m/%Y %H:%M}"


class WorkdayAdjustment(models.Model):
    """Extra days off and make-up working days the Government announces each year (on top of `holidays`)."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Extra day off")
        WORKDAY = "workday", _("Make-up working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("working-day adjustment")
        verbose_name_plural = _("working-day adjustments")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.kind}"
