"""Periodic reports up the administrative hierarchy, as data.

A `ReportType` is a kind of report (6-month, annual, quarterly, Month of Action, forum, thematic review, ad hoc)
with its outline (narrative sections and their guidance) and the indicator tables it carries; its `DeadlineRule`
rows say, per structure (the two-tier commune → province → ministry, or the former three-tier one) and per level,
by when a unit of that level sends it to the level above. A `Cycle` is one round of a type for a period, with the
deadlines of each level worked out from the rules (and adjustable: they are data). A `Report` is one unit's report
in a cycle: figures pre-filled from the indicators and frozen on submission, narrative sections, attachments; its
`ReportStep` rows are the dated and signed steps (submitted, returned, approved…). A `ReportNotice` is a reminder or a
missed-deadline notice, sent once.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from treem.core.periods import Period, PeriodKind
from treem.units.models import Level, Structure, Unit


def _in_language(vi: str, en: str) -> str:
    return en if (get_language() or "vi").startswith("en") else vi


class Kind(models.TextChoices):
    QUARTERLY = "quarterly", _("Quarterly")
    SIX_MONTH = "six_month", _("Six-month")
    ANNUAL = "annual", _("Annual")
    MONTH_OF_ACTION = "month_of_action", _("Month of Action for Children")
    FORUM = "forum", _("Children's forum")
    THEMATIC = "thematic", _("Thematic review")
    AD_HOC = "ad_hoc", _("Ad hoc")


class ReportType(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)
    title_vi = models.CharField(
        _("document title (Vietnamese)"), max_length=300, blank=True,
        help_text=_("E.g. Báo cáo kết quả công tác trẻ em 6 tháng đầu năm {year}"),
    )  # fmt: skip
    outline = models.JSONField(
        _("outline"), default=list, blank=True,
        help_text=_('Narrative sections: [{"code": "results", "title_vi": "…", "title_en": "…", "guidance_vi": "…", '
                    '"guidance_en": "…"}]'),
    )  # fmt: skip
    indicators = models.JSONField(
        _("indicator tables"), default=list, blank=True, help_text=_("Codes of the indicators the report carries")
    )
    period_kind = models.CharField(
        _("period"), max_length=10, choices=[(k.value, k.value) for k in PeriodKind], default=PeriodKind.HALF
    )
    cycle_prefix = models.CharField(
        _("cycle code prefix"), max_length=10, blank=True,
        help_text=_("A cycle's code: this prefix and the period (2025S1, THD2025); empty for the main reports"),
    )  # fmt: skip
    reminder_days = models.PositiveSmallIntegerField(_("reminder (working days before the deadline)"), default=5)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        verbose_name = _("report type")
        verbose_name_plural = _("report types")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self.name_vi, self.name_en)

    def sections(self) -> list[dict[str, str]]:
        """The outline's sections in the reader's language: code, title, guidance."""
        return [
            {
                "code": s["code"],
                "title": _in_language(s.get("title_vi", ""), s.get("title_en", "")),
                "guidance": _in_language(s.get("guidance_vi", ""), s.get("guidance_en", "")),
            }
            for s in self.outline
        ]


class DeadlineRule(models.Model):
    """By when a unit of `level` sends the report to the level above, in `structure`: a fixed day of the year
    (`month`, `day`, in the period's year plus `year_offset`) or a number of days after the period's end (or the
    event's date, for a forum)."""

    report_type = models.ForeignKey(ReportType, on_delete=models.CASCADE, related_name="deadlines")
    structure = models.CharField(_("structure"), max_length=10, choices=Structure.choices, default=Structure.CURRENT)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    day = models.PositiveSmallIntegerField(_("day"), null=True, blank=True)
    year_offset = models.SmallIntegerField(_("years after the period's year"), default=0)
    days_after = models.PositiveSmallIntegerField(_("days after the period's end"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        ordering = ["report_type", "structure", "level"]
        constraints = [
            models.UniqueConstraint(fields=["report_type", "structure", "level"], name="deadline_rule_unique_level")
        ]

    def __str__(self) -> str:
        when = f"{self.day:02d}/{self.month:02d}" if self.month and self.day else f"+{self.days_after}"
        return f"{self.report_type.code} {self.structure} {self.level}: {when}"

    def clean(self) -> None:
        """One day: a valid day of the year, or a number of days after (a rule without one would leave its level out
        of every cycle, its units owing nothing)."""
        fixed = self.month is not None or self.day is not None
        if fixed == (self.days_after is not None):
            raise ValidationError(_("Give a day and a month, or a number of days after the period's end."))
        if fixed:
            try:
                dt.date(2024, self.month or 0, self.day or 0)  # a leap year: 29/02 stands
            except ValueError:
                raise ValidationError({"day": _("Enter a valid date.")}) from None

    def deadline(self, period: Period, event: dt.date | None = None) -> dt.date | None:
        if self.month and self.day:
            return dt.date(period.year + self.year_offset, self.month, self.day)
        if self.days_after is not None:
            return (event or period.end) + dt.timedelta(days=self.days_after)
        return None


class Cycle(models.Model):
    """One round of a report type: its period, its data cut-off, the deadline of each level and the reminder lead."""

    code = models.CharField(_("code"), max_length=40, unique=True, help_text=_("E.g. 2025S1, 2025, MOA2025"))
    report_type = models.ForeignKey(ReportType, on_delete=models.PROTECT, related_name="cycles")
    period = models.CharField(_("period"), max_length=10)
    structure = models.CharField(_("structure"), max_length=10, choices=Structure.choices, default=Structure.CURRENT)
    cut_off = models.DateField(_("data cut-off"), null=True, blank=True)
    event_date = models.DateField(_("event date"), null=True, blank=True, help_text=_("For a forum"))
    deadlines = models.JSONField(_("deadlines"), default=dict, blank=True, help_text=_('{"commune": "2025-05-10"}'))
    reminder_days = models.PositiveSmallIntegerField(_("reminder (working days before the deadline)"), default=5)
    is_open = models.BooleanField(_("open"), default=True)
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report cycle")
        verbose_name_plural = _("report cycles")
        ordering = ["-period", "code"]

    def __str__(self) -> str:
        return f"{self.code} · {self.report_type.name}"

    def clean(self) -> None:
        """The deadlines as the pages read them: {level: yyyy-mm-dd}."""
        for level, text in (self.deadlines or {}).items():
            if level not in Level.values:
                raise ValidationError({"deadlines": _("Not a level: %(level)s") % {"level": level}})
            try:
                dt.date.fromisoformat(text)
            except (TypeError, ValueError):
                raise ValidationError({"deadlines": _("Not a date (yyyy-mm-dd): %(text)s") % {"text": text}}) from None

    @property
    def period_obj(self) -> Period:
        return Period.parse(self.period)

    def deadline_for(self, level: str) -> dt.date | None:
        text = self.deadlines.get(str(level))
        return dt.date.fromisoformat(text) if text else None

    def levels(self) -> list[str]:
        """The levels that report in this cycle, lowest first (commune, then district, then province)."""
        order = {Level.COMMUNE: 0, Level.DISTRICT: 1, Level.PROVINCE: 2, Level.NATION: 3}
        return sorted(self.deadlines, key=lambda lv: order.get(Level(lv), 9))


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    APPROVED = "approved", _("Approved")


class Report(models.Model):
    SCOPE_PATH_FIELD = "unit_path"

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    unit_path = models.CharField(max_length=120, db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # {indicator code: {disagg: [value, numerator, denominator]}}: pre-filled, frozen on submission
    figures = models.JSONField(default=dict, blank=True)
    figures_at = models.DateTimeField(null=True, blank=True)
    narratives = models.JSONField(default=dict, blank=True)  # {section code: text}
    # the sections other apps add (`sections.extra_sections`), as submitted: frozen on submission, None before
    added_sections = models.JSONField(null=True, blank=True)
    number = models.CharField(_("document number"), max_length=40, blank=True, help_text=_("E.g. 25/BC-UBND"))
    signer_name = models.CharField(_("signed by"), max_length=120, blank=True)
    signer_title = models.CharField(
        _("signer's title"), max_length=120, blank=True, help_text=_("E.g. KT. CHỦ TỊCH / PHÓ CHỦ TỊCH")
    )
    consolidated = models.BooleanField(default=False)  # figures are the sum of the approved sub-unit reports
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["cycle", "unit_path"]
        constraints = [models.UniqueConstraint(fields=["cycle", "unit"], name="report_unique_unit_cycle")]

    def __str__(self) -> str:
        return f"{self.cycle.code} {self.unit.name}"

    @property
    def is_editable(self) -> bool:
        return self.status in (Status.DRAFT, Status.RETURNED)

    @property
    def deadline(self) -> dt.date | None:
        return self.cycle.deadline_for(self.unit.level)


class ReportStep(models.Model):
    """A dated, signed step of a report: created, figures refreshed, submitted, returned, approved."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        REFRESHED = "refreshed", _("Figures updated")
        CONSOLIDATED = "consolidated", _("Consolidated from the sub-units")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for correction")
        APPROVED = "approved", _("Approved")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("step"), max_length=12, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField(max_length=200)
    at = models.DateTimeField()
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("report step")
        verbose_name_plural = _("report steps")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.report} {self.action} {self.at:%Y-%m-%d %H:%M}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"reports/{instance.report.cycle_id}/{instance.report.unit_id}/{filename}"


class Attachment(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path)
    name = models.CharField(_("name"), max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name


class NoticeKind(models.TextChoices):
    REMINDER = "reminder", _("Reminder before the deadline")
    MISSED = "missed", _("Deadline missed")


class ReportNotice(models.Model):
    """A reminder or a missed-deadline notice for a unit in a cycle: sent once (the unique key)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="notices")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    unit_path = models.CharField(max_length=120, db_index=True)
    kind = models.CharField(max_length=10, choices=NoticeKind.choices)
    deadline = models.DateField()
    sent_at = models.DateTimeField()
    emailed_to = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("report notice")
        verbose_name_plural = _("report notices")
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["cycle", "unit", "kind"], name="report_notice_once")]

    def __str__(self) -> str:
        return f"{self.cycle.code} {self.unit_id} {self.kind}"
