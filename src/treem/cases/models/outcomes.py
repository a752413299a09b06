"""What the authorities did about an abuse case: administrative sanction, criminal prosecution (by stage), or no
violation found. Dated rows, never edited: the latest is where the case stands, the others its history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from treem.core.money import vnd

from .case import Case


class OutcomeKind(models.TextChoices):
    ADMINISTRATIVE = "administrative", _("Administrative sanction")
    CRIMINAL = "criminal", _("Criminal prosecution")
    NO_VIOLATION = "no_violation", _("No violation found")


class CriminalStage(models.TextChoices):
    REPORTED = "reported", _("Reported to the police")
    INVESTIGATED = "investigated", _("Under investigation")
    PROSECUTED = "prosecuted", _("Prosecuted")
    TRIED = "tried", _("Tried in court")
    VERDICT = "verdict", _("Court verdict")


class LegalOutcome(models.Model):
    """One dated step of the authorities' handling of a case (made by `outcomes.outcome_record`, audited)."""

    SCOPE_PATH_FIELD = "unit_path"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="legal_outcomes")
    unit_path = models.CharField(max_length=120, db_index=True, editable=False)
    kind = models.CharField(_("handling"), max_length=20, choices=OutcomeKind.choices)
    stage = models.CharField(_("stage"), max_length=20, choices=CriminalStage.choices, blank=True)
    decided_on = models.DateField(_("date"))
    authority = models.CharField(_("authority"), max_length=200, blank=True)
    decree = models.CharField(
        _("decision and decree"), max_length=200, blank=True,
        help_text=_("The sanction decision's number and the decree applied, e.g. NĐ 130/2021/NĐ-CP"),
    )  # fmt: skip
    amount = models.PositiveBigIntegerField(_("fine (VND)"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("legal outcome")
        verbose_name_plural = _("legal outcomes")
        ordering = ["decided_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="criminal", stage__gt="") | (~Q(kind="criminal") & Q(stage="")),
                name="legal_outcome_stage_only_criminal",
            ),
            models.CheckConstraint(
                condition=Q(kind="administrative") | Q(amount__isnull=True), name="legal_outcome_fine_only_sanction"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.kind} {self.decided_on:%d/%m/%Y}"

    @property
    def amount_vnd(self) -> str:
        """1500000 -> "1.500.000" (whole đồng, thousands grouped with a dot)."""
        return vnd(self.amount) if self.amount is not None else ""

    @property
    def label(self) -> str:
        if self.kind == OutcomeKind.CRIMINAL and self.stage:
            return f"{OutcomeKind(self.kind).label}: {CriminalStage(self.stage).label}"
        return str(OutcomeKind(self.kind).label)
