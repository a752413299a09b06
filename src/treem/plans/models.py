"""Action programmes and their targets, annual plans of a unit with sections of tasks assigned to agencies or units,
the tasks' progress as dated rows, and yearly events (tasks of an event kind) with their reports and participants.

Agency kinds and event kinds are rows (loaded from `fixtures/kinds.json`, editable by an administrator). Plans,
tasks and agencies store the path of their unit (`unit_path`) so that the scope helper filters them by one prefix.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from treem.core.money import vnd
from treem.indicators.models import Named, Target
from treem.registry.models import Child
from treem.units.models import Unit


class AgencyKind(Named):
    """A sector: education, health, police, justice, culture, information, unions, commune committees…"""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        verbose_name = _("agency kind")
        verbose_name_plural = _("agency kinds")
        ordering = ["sort_order", "code"]


class EventKind(Named):
    """A yearly event: Month of Action, Children's Day, Mid-Autumn, children's forum, summer camp, contest…"""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    month = models.PositiveSmallIntegerField(_("usual month"), null=True, blank=True)
    day = models.PositiveSmallIntegerField(_("usual day"), null=True, blank=True)
    has_theme = models.BooleanField(_("has a theme of the year"), default=False)
    has_recommendations = models.BooleanField(_("collects children's recommendations"), default=False)
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        verbose_name = _("event kind")
        verbose_name_plural = _("event kinds")
        ordering = ["sort_order", "code"]


class Agency(models.Model):
    """An agency of a unit (the province's education department, a commune's police…) that carries out tasks."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=120, db_index=True, editable=False)
    kind = models.ForeignKey(AgencyKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("reporters"), blank=True, related_name="agencies"
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["unit_path", "kind__sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="agency_unique_name_per_unit")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.unit_path = self.unit.path
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def label(self) -> str:
        return self.short_name or self.name


class Programme(models.Model):
    """A programme of action over years (e.g. 2021–2030) of the nation (no unit) or of a unit, with its targets."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=400)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("Empty: the national programme"),
    )  # fmt: skip
    start_year = models.PositiveSmallIntegerField(_("from year"))
    end_year = models.PositiveSmallIntegerField(_("to year"))
    document = models.CharField(_("issued by"), max_length=300, blank=True)
    targets = models.ManyToManyField(Target, verbose_name=_("targets"), blank=True, related_name="+")

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-start_year", "code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.start_year}–{self.end_year})"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


class Plan(models.Model):
    """The annual plan of a unit (e.g. Kế hoạch 42/KH-UBND of 2022), under a programme."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), null=True, blank=True, on_delete=models.PROTECT, related_name="plans"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=120, db_index=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.CharField(_("number"), max_length=60, blank=True, help_text=_("E.g. 42/KH-UBND"))
    title = models.CharField(_("title"), max_length=400)
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approved_by = models.CharField(_("signed by"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-year", "unit_path", "number"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        self.unit_path = self.unit.path
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Section(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    number = models.CharField(_("number"), max_length=20, blank=True)
    title = models.CharField(_("title"), max_length=500)
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["plan", "sort_order", "pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


CLOSED_STATUSES = (TaskStatus.DONE, TaskStatus.CANCELLED)


class FundingSource(models.TextChoices):
    CENTRAL = "central", _("Central budget")
    LOCAL = "local", _("Local budget")
    AGENCY = "agency", _("The agency's own budget")
    FUND = "fund", _("Child Protection Fund")
    MOBILISED = "mobilised", _("Mobilised (donations, sponsors)")
    INTERNATIONAL = "international", _("International projects")
    OTHER = "other", _("Other lawful sources")


class Task(models.Model):
    """A task of a plan, assigned to an agency or to a unit (a commune's people's committee), with its current
    progress (the latest `ProgressUpdate` writes it). A task of an `event_kind` is a yearly event."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    section = models.ForeignKey(Section, verbose_name=_("section"), on_delete=models.PROTECT, related_name="tasks")
    unit_path = models.CharField(max_length=120, db_index=True, editable=False)  # the plan's
    number = models.CharField(_("number"), max_length=20, blank=True)
    title = models.CharField(_("task"), max_length=600)
    description = models.TextField(_("description"), blank=True)
    agency = models.ForeignKey(
        Agency, verbose_name=_("assigned agency"), null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    assignee_unit = models.ForeignKey(
        Unit, verbose_name=_("assigned unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField(_("deadline"))
    expected_result = models.TextField(_("expected result"), blank=True)
    budget = models.PositiveBigIntegerField(_("budget (VND)"), null=True, blank=True)
    funding_source = models.CharField(_("source of funds"), max_length=20, choices=FundingSource.choices, blank=True)
    event_kind = models.ForeignKey(
        EventKind, verbose_name=_("event"), null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    theme = models.CharField(_("theme of the year"), max_length=400, blank=True)
    event_date = models.DateField(_("date of the event"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED)
    percent = models.PositiveSmallIntegerField(_("percent done"), default=0)
    updated_on = models.DateField(_("last progress"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["section__sort_order", "sort_order", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(percent__lte=100), name="task_percent_at_most_100"),
            models.CheckConstraint(
                condition=models.Q(agency__isnull=False) | models.Q(assignee_unit__isnull=False),
                name="task_assigned",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    def save(self, *args: object, **kwargs: object) -> None:
        self.unit_path = self.plan.unit_path
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def assignee(self) -> str:
        return self.agency.label if self.agency else (self.assignee_unit.name if self.assignee_unit else "")

    @property
    def budget_text(self) -> str:
        """50.000.000: Vietnamese groups thousands with dots (VND has no minor unit)."""
        return vnd(self.budget) if self.budget else ""


class ProgressUpdate(models.Model):
    """One dated report on a task, signed by its author: the task's history (never edited)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="updates")
    on = models.DateField(_("as of"))
    status = models.CharField(_("status"), max_length=12, choices=TaskStatus.choices)
    percent = models.PositiveSmallIntegerField(_("percent done"))
    note = models.TextField(_("progress"), blank=True)
    difficulties = models.TextField(_("difficulties and proposals"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["-on", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.on:%d/%m/%Y} {self.percent}%"


class Evidence(models.Model):
    """A file that shows a task's result (a report, a photo, a list), kept private: read through the task page."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="evidence")
    update = models.ForeignKey(
        ProgressUpdate, null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence"
    )
    file = models.FileField(upload_to="plans/%Y/%m/", max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class EventReport(models.Model):
    """The report of an event task: what happened and how many took part."""

    task = models.OneToOneField(Task, on_delete=models.CASCADE, related_name="event_report")
    held_on = models.DateField(_("held on"), null=True, blank=True)
    narrative = models.TextField(_("report"), blank=True)
    children_count = models.PositiveIntegerField(_("children taking part"), default=0)
    adults_count = models.PositiveIntegerField(_("adults taking part"), default=0)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("event report")
        verbose_name_plural = _("event reports")

    def __str__(self) -> str:
        return f"{self.task}: {self.children_count}"


class Participant(models.Model):
    """A child from the registry who took part in an event."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="participants")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["child__full_name", "pk"]
        constraints = [models.UniqueConstraint(fields=["task", "child"], name="participant_once_per_event")]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.child_id}"


class RecommendationStatus(models.TextChoices):
    OPEN = "open", _("Waiting for an answer")
    ANSWERED = "answered", _("Answered")
    DONE = "done", _("Acted on")


class Recommendation(models.Model):
    """A children's recommendation raised at a children's forum, and its follow-up."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="recommendations")
    text = models.TextField(_("recommendation"))
    addressed_to = models.CharField(_("addressed to"), max_length=300, blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RecommendationStatus.choices, default=RecommendationStatus.OPEN
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("children's recommendation")
        verbose_name_plural = _("children's recommendations")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text[:80]
