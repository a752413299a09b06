"""Money for child protection: the sources of funds (data), the allocations a unit receives from them per year, and
(in `ledger`) the spending other apps record, read through registered providers so no figure is entered twice.

Money is VND, whole đồng.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from treem.units.models import Unit

MAX_AMOUNT = 10**12  # VND: anything above is a typing mistake
FIRST_YEAR = 2000


class SourceKind(models.TextChoices):
    CENTRAL = "central", _("Central budget")
    PROVINCE = "province", _("Province budget")
    LOCAL = "local", _("District and commune budget")
    STATE = "state", _("State budget, level not given")
    FUND = "fund", _("Child Protection Fund")
    RAISED = "raised", _("Raised and socialised funds")
    OTHER = "other", _("Other lawful sources")


STATE_BUDGET_KINDS = frozenset({SourceKind.CENTRAL, SourceKind.PROVINCE, SourceKind.LOCAL, SourceKind.STATE})


class FundingSource(models.Model):
    """Where money comes from (`finance/fixtures/sources.json`; an administrator may add more). The source of kind
    `fund` is the Child Protection Fund: its income is the fund's donations (recorded in support)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=SourceKind.choices)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("source of funds")
        verbose_name_plural = _("sources of funds")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "vi").startswith("en") and self.name_en else self.name_vi

    @property
    def is_state_budget(self) -> bool:
        return self.kind in STATE_BUDGET_KINDS


class Allocation(models.Model):
    """Money a unit receives from a source for a year (an estimate approved by a decision, or an addition)."""

    SCOPE_PATH_FIELD = "unit_path"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    unit_path = models.CharField(max_length=120, db_index=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"))
    source = models.ForeignKey(
        FundingSource, on_delete=models.PROTECT, related_name="allocations", verbose_name=_("source of funds")
    )
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    purpose = models.CharField(_("purpose"), max_length=300)
    decision_no = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["-year", "unit_path", "source__sort_order", "pk"]
        indexes = [models.Index(fields=["year", "unit_path"], name="finance_allocation_year_path")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="finance_allocation_positive"),
            models.CheckConstraint(condition=Q(year__gte=FIRST_YEAR), name="finance_allocation_year"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.year}: {self.amount}"
