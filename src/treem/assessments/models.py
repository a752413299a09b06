"""Child-friendly commune assessment (Quyết định 06/QĐ-TTg, 03/01/2019): the criteria as data, a commune's
assessment for a year with its scores and evidence, and the steps it goes through.

`Category` is a kind of commune with its recognition threshold (900 urban ward, 800 mountain/island/extremely
disadvantaged, 850 other); `Criterion` one of the 13 criteria (`min_points`: below it the criterion is not met);
`Item` a scored sub-item with its points and, where the figure is stored, the indicator that pre-fills it. The
point values the sources do not give are shipped as provisional (`points_known` off) for an administrator to
correct. An `Assessment` moves draft → self-assessed (signed by the commune) → appraised (by the upper level) →
recognised or not recognised (the decision's number and date).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from treem.indicators.models import Comparison, Named
from treem.units.models import Unit


class Category(Named):
    """A kind of commune for the threshold (QĐ 06): the total a commune of this kind must reach."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    min_total = models.PositiveSmallIntegerField(_("minimum total"))
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        verbose_name = _("commune category")
        verbose_name_plural = _("commune categories")
        ordering = ["sort_order", "code"]


class Criterion(Named):
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    min_points = models.PositiveSmallIntegerField(
        _("minimum points to be met"), default=1,
        help_text=_("A criterion scoring less is not met (1: any score above 0)"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["number"]


ITEM_COMPARISONS = [(c.value, c.label) for c in (Comparison.AT_LEAST, Comparison.AT_MOST)]  # the indicators' own


class Item(Named):
    """A scored sub-item of a criterion. With an indicator (and, for a share of two figures, `per_indicator`), the
    commune's stored figure for the year pre-fills the score: the full points when it meets the target, else 0."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("code"), max_length=10, unique=True)
    max_points = models.PositiveSmallIntegerField(_("points"))
    points_known = models.BooleanField(
        _("points confirmed"), default=False,
        help_text=_("Off: the point value is provisional (not found in the sources); correct it here"),
    )  # fmt: skip
    indicator = models.CharField(_("indicator that pre-fills it"), max_length=60, blank=True)
    per_indicator = models.CharField(
        _("divided by the indicator"), max_length=60, blank=True,
        help_text=_("For a share of two figures: the indicator is the numerator, this one the denominator (× 100)"),
    )  # fmt: skip
    comparison = models.CharField(_("comparison"), max_length=10, choices=ITEM_COMPARISONS, blank=True)
    target = models.DecimalField(_("target"), max_digits=8, decimal_places=2, null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        verbose_name = _("criterion item")
        verbose_name_plural = _("criterion items")
        ordering = ["criterion__number", "sort_order", "code"]

    @property
    def prefillable(self) -> bool:
        return bool(self.indicator and self.comparison and self.target is not None)


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SELF_ASSESSED = "self_assessed", _("Self-assessed, awaiting appraisal")
    APPRAISED = "appraised", _("Appraised, awaiting the decision")
    RECOGNISED = "recognised", _("Recognised")
    NOT_RECOGNISED = "not_recognised", _("Not recognised")


DECIDED = (Status.RECOGNISED, Status.NOT_RECOGNISED)


class Assessment(models.Model):
    """A commune's assessment for a year. Each step is dated and signed (the user and their name at the time)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("commune"))
    unit_path = models.CharField(max_length=120, db_index=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"))
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("commune category")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    self_assessed_at = models.DateTimeField(_("self-assessed at"), null=True, blank=True)
    self_assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    self_assessed_by_name = models.CharField(_("self-assessment signed by"), max_length=200, blank=True)
    appraised_at = models.DateTimeField(_("appraised at"), null=True, blank=True)
    appraised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    appraised_by_name = models.CharField(_("appraisal signed by"), max_length=200, blank=True)
    appraisal_note = models.TextField(_("appraisal note"), blank=True)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decision recorded at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by_name = models.CharField(_("decision recorded by"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("child-friendly commune assessment")
        verbose_name_plural = _("child-friendly commune assessments")
        ordering = ["-year", "unit_path"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="assessment_one_per_commune_year")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.year}"

    @property
    def is_decided(self) -> bool:
        return self.status in DECIDED


class Score(models.Model):
    """The points of one item; empty until scored. `prefilled`: set from the indicator, not changed by hand."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    points = models.PositiveSmallIntegerField(_("points"), null=True, blank=True)
    indicator_value = models.FloatField(_("figure from the indicators"), null=True, blank=True)
    prefilled = models.BooleanField(default=False)
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by_name = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "item"], name="score_one_per_item")]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.points}"


class Evidence(models.Model):
    """A file that backs a score (minutes, lists, photos of the play spot…)."""

    SCOPE_PATH_FIELD = "assessment__unit_path"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="evidence")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    file = models.FileField(upload_to="assessments/%Y/%m/", max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_by_name = models.CharField(_("uploaded by"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name
