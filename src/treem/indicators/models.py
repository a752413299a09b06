"""Indicators as data, and their figures as data values (like DHIS2).

An `Indicator` names what it counts (a numerator and, for a ratio, a denominator: named computations in
`computations`, or nothing when the figure is entered by a unit or an agency), how it breaks down (its
disaggregations: lists of `Dimension` codes, each list crossed) and how often it is published. Every figure, computed
or entered, is a `DataValue`: (indicator, unit, period, disaggregation) → value, with its numerator and denominator so
that a ratio rolls up from summed parts, never from averaged ratios. `Target` rows hold the national (QĐ 23) and
local targets; `ValidationRule` rows the checks between entered figures.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from treem.units.models import Unit


class Named(models.Model):
    """A row with a Vietnamese and an English name, shown in the user's language."""

    name_vi = models.CharField(_("name (Vietnamese)"), max_length=400)
    name_en = models.CharField(_("name (English)"), max_length=400)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "vi").startswith("en") else self.name_vi


class Dimension(Named):
    """A way to break a figure down: sex, age group, special-circumstance group, form of abuse, setting…

    `partition`: every counted person falls in exactly one option, so the options add up to the total (sex, age
    group); a person can be in several options of a non-partition dimension (group, form of abuse)."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    partition = models.BooleanField(_("options add up to the total"), default=True)
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        verbose_name = _("disaggregation")
        verbose_name_plural = _("disaggregations")
        ordering = ["sort_order", "code"]


class DimensionOption(Named):
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="options")
    code = models.CharField(_("code"), max_length=30)
    sort_order = models.PositiveSmallIntegerField(default=100)
    # Age bands: completed years on the counting day, both ends included.
    min_age = models.PositiveSmallIntegerField(_("from age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("to age"), null=True, blank=True)

    class Meta:
        verbose_name = _("disaggregation option")
        verbose_name_plural = _("disaggregation options")
        ordering = ["dimension", "sort_order", "code"]
        constraints = [models.UniqueConstraint(fields=["dimension", "code"], name="dimension_option_unique_code")]


class IndicatorGroup(Named):
    """A group of the indicator set, e.g. TT 13/2021 Phụ lục I, nhóm III (protection), or a QĐ 23 objective."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    document = models.CharField(_("legal document"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        verbose_name = _("indicator group")
        verbose_name_plural = _("indicator groups")
        ordering = ["sort_order", "code"]


class Measure(models.TextChoices):
    COUNT = "count", _("Number")
    PERCENT = "percent", _("Percent")
    PER_1000 = "per_1000", _("Per 1,000")
    PER_100000 = "per_100000", _("Per 100,000")


MULTIPLIER = {Measure.COUNT: 1, Measure.PERCENT: 100, Measure.PER_1000: 1000, Measure.PER_100000: 100_000}


class Periodicity(models.TextChoices):
    HALF = "half", _("Every six months")
    YEAR = "year", _("Yearly")


class Source(models.TextChoices):
    COMPUTED = "computed", _("Computed from the registry and the cases")
    ENTERED = "entered", _("Entered by a unit or an agency")


class Indicator(Named):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    legal_code = models.CharField(
        _("code in the legal set"), max_length=20, blank=True, help_text=_("E.g. 0101 (TT 13/2021); empty if unknown")
    )
    group = models.ForeignKey(IndicatorGroup, on_delete=models.PROTECT, related_name="indicators")
    measure = models.CharField(_("unit of measure"), max_length=12, choices=Measure.choices, default=Measure.COUNT)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.COMPUTED)
    numerator = models.CharField(_("numerator (computation)"), max_length=60, blank=True)
    denominator = models.CharField(_("denominator (computation)"), max_length=60, blank=True)
    disaggregations = models.JSONField(
        _("disaggregations"), default=list, blank=True,
        help_text=_('Lists of disaggregation codes, each list crossed, e.g. [["sex", "age_group"]]'),
    )  # fmt: skip
    periodicity = models.CharField(
        _("periodicity"), max_length=8, choices=Periodicity.choices, default=Periodicity.YEAR
    )
    agency = models.CharField(_("responsible agency"), max_length=200, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    definition_vi = models.TextField(_("definition (Vietnamese)"), blank=True)
    definition_en = models.TextField(_("definition (English)"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["group__sort_order", "sort_order", "code"]

    @property
    def definition(self) -> str:
        return self.definition_en if (get_language() or "vi").startswith("en") else self.definition_vi

    @property
    def is_ratio(self) -> bool:
        return self.measure != Measure.COUNT

    @property
    def multiplier(self) -> int:
        return MULTIPLIER[Measure(self.measure)]

    def dimension_codes(self) -> list[str]:
        """Every dimension the indicator breaks down by, in the order first named."""
        return list(dict.fromkeys(code for crossing in self.disaggregations for code in crossing))

    def clean(self) -> None:
        from .computations import COMPUTATIONS  # the named computations are code; the definitions name them

        errors: dict[str, Any] = {}
        if self.source == Source.COMPUTED:
            for name in ("numerator", "denominator"):
                value = getattr(self, name)
                if (value or name == "numerator") and value not in COMPUTATIONS:
                    errors[name] = _("Unknown computation: %(name)s") % {"name": value or "—"}
            if self.is_ratio and not self.denominator:
                errors["denominator"] = _("A ratio needs a denominator.")
        if not isinstance(self.disaggregations, list) or not all(
            isinstance(c, list) and all(isinstance(d, str) for d in c) for c in self.disaggregations
        ):
            errors["disaggregations"] = _('Write a list of lists of codes, e.g. [["sex", "age_group"]].')
        else:
            known = set(Dimension.objects.values_list("code", flat=True))
            unknown = sorted(set(self.dimension_codes()) - known)
            if unknown:
                errors["disaggregations"] = _("Unknown disaggregations: %(codes)s") % {"codes": ", ".join(unknown)}
        if errors:
            raise ValidationError(errors)


class Comparison(models.TextChoices):
    AT_MOST = "at_most", _("at most")
    BELOW = "below", _("below")
    AT_LEAST = "at_least", _("at least")
    ABOVE = "above", _("above")


class Target(models.Model):
    """A target for a year: national (no unit, QĐ 23) or of a province or commune plan."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("unit"),
        help_text=_("Empty: the national target"),
    )  # fmt: skip
    year = models.PositiveSmallIntegerField(_("year"))
    comparison = models.CharField(_("comparison"), max_length=10, choices=Comparison.choices)
    value = models.DecimalField(_("target"), max_digits=12, decimal_places=3)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    baseline_value = models.DecimalField(_("baseline"), max_digits=12, decimal_places=3, null=True, blank=True)
    document = models.CharField(_("set by"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["indicator", "unit", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "unit", "year"], name="target_unique_year"),
            models.UniqueConstraint(
                fields=["indicator", "year"], condition=models.Q(unit__isnull=True), name="target_unique_national_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year}: {self.get_comparison_display()} {self.value}"

    def is_met_by(self, value: float | Decimal) -> bool:
        return meets(self.comparison, value, self.value)


def meets(comparison: str, value: float | Decimal, target: Decimal) -> bool:
    """Whether `value` satisfies `comparison` (at most, below, at least, above) against `target`."""
    v = Decimal(str(value))
    return {
        Comparison.AT_MOST: v <= target,
        Comparison.BELOW: v < target,
        Comparison.AT_LEAST: v >= target,
        Comparison.ABOVE: v > target,
    }[Comparison(comparison)]


class Origin(models.TextChoices):
    COMPUTED = "computed", _("Computed")
    ROLLED_UP = "rolled_up", _("Sum of the units below")
    ENTERED = "entered", _("Entered")
    REFORM = "reform", _("Re-aggregated from the former units")


class DataValue(models.Model):
    """One figure: indicator × unit × period × disaggregation. `disagg` is the canonical key, e.g.
    `age_group=0-5;sex=F` (codes sorted by dimension code), empty for the total."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=10)
    disagg = models.CharField(max_length=200, blank=True, default="")
    value = models.FloatField()
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.COMPUTED)
    computed_at = models.DateTimeField()
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("data value")
        verbose_name_plural = _("data values")
        constraints = [
            models.UniqueConstraint(fields=["period", "indicator", "unit", "disagg"], name="data_value_unique_key")
        ]
        # the newest computation of a period's indicators (publish.hidden_for's cache stamp), read from the index alone
        indexes = [models.Index(fields=["period", "indicator", "computed_at"], name="data_value_stamp")]

    def __str__(self) -> str:
        return f"{self.indicator_id}/{self.unit_id}/{self.period}/{self.disagg or 'total'} = {self.value}"


class Operator(models.TextChoices):
    LE = "le", "≤"
    GE = "ge", "≥"
    EQ = "eq", "="


class ValidationRule(models.Model):
    """A check between two figures of the same unit, period and disaggregation (e.g. assisted ≤ in special
    circumstances), run on entry and shown in the completeness view."""

    left = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+", verbose_name=_("figure"))
    operator = models.CharField(_("must be"), max_length=2, choices=Operator.choices)
    right = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+", verbose_name=_("compared with"))
    message_vi = models.CharField(_("message (Vietnamese)"), max_length=300)
    message_en = models.CharField(_("message (English)"), max_length=300)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("validation rule")
        verbose_name_plural = _("validation rules")

    def __str__(self) -> str:
        return f"{self.left.code} {self.get_operator_display()} {self.right.code}"

    @property
    def message(self) -> str:
        return self.message_en if (get_language() or "vi").startswith("en") else self.message_vi

    def holds(self, left: float, right: float) -> bool:
        return {Operator.LE: left <= right, Operator.GE: left >= right, Operator.EQ: left == right}[
            Operator(self.operator)
        ]


class ComputeRun(models.Model):
    """A computation of a period under a unit: when it ran, what it wrote; the next incremental run starts from
    the newest run's start."""

    period = models.CharField(max_length=10)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField()
    seconds = models.FloatField(default=0)
    units = models.PositiveIntegerField(default=0)
    values = models.PositiveIntegerField(default=0)
    incremental = models.BooleanField(default=False)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["period", "started_at"], name="compute_run_period")]

    def __str__(self) -> str:
        return f"{self.period} {self.unit_id} {self.started_at:%Y-%m-%d %H:%M}"
