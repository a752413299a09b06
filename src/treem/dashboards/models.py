"""The composite child-rights index as data: which indicators it is made of, in which direction each is better,
the goalposts each is scaled between, and its weight (see `index` for the arithmetic)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from treem.indicators.models import Indicator


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class IndexComponent(models.Model):
    """One part of the child-rights index (chỉ số thực hiện quyền trẻ em): an indicator's stored total, scaled to
    0–100 between `worst` (scores 0) and `best` (scores 100), weighted by `weight`."""

    indicator = models.OneToOneField(
        Indicator, on_delete=models.CASCADE, related_name="index_component", verbose_name=_("indicator")
    )
    direction = models.CharField(_("direction"), max_length=6, choices=Direction.choices)
    worst = models.FloatField(_("worst value (scores 0)"))
    best = models.FloatField(_("best value (scores 100)"))
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2)
    right_vi = models.CharField(_("group of rights (Vietnamese)"), max_length=200, blank=True)
    right_en = models.CharField(_("group of rights (English)"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        verbose_name = _("child-rights index component")
        verbose_name_plural = _("child-rights index components")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return f"{self.indicator.code} × {self.weight}"

    def clean(self) -> None:
        errors = {}
        if self.weight is not None and self.weight <= 0:
            errors["weight"] = _("A weight is a positive number.")
        if self.worst is not None and self.best is not None:
            if self.direction == Direction.HIGHER and not self.best > self.worst:
                errors["best"] = _("When higher is better, the best value is above the worst.")
            if self.direction == Direction.LOWER and not self.best < self.worst:
                errors["best"] = _("When lower is better, the best value is below the worst.")
        if errors:
            raise ValidationError(errors)
