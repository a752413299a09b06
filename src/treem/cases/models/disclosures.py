"""Case information given outside the case team, with its consents (Luật Trẻ em Art. 6.11, NĐ 56 Art. 24, 36)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .case import Case


class Distribution(models.TextChoices):
    """Who a case document may be given to (NĐ 56 Art. 24.3): its scope of distribution."""

    CASE_TEAM = "case_team", _("The case team only")
    IMPLEMENTERS = "implementers", _("The case team, the plan's implementers and the parents or caregiver")
    DISCLOSURE = "disclosure", _("A named recipient outside the case team, with consent")


class Disclosure(models.Model):
    """Case information given outside the case team (Luật Trẻ em Art. 6.11, NĐ 56 Art. 24, 36).

    Made only through `disclosures.disclosure_record`, which checks the consents: the parent's or guardian's always,
    the child's when the child is 7 or older on the day.
    """

    SCOPE_PATH_FIELD = "unit_path"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="disclosures")
    unit_path = models.CharField(max_length=120, db_index=True, editable=False)
    form_number = models.CharField(
        _("form"), max_length=10, blank=True, help_text=_("Mẫu 01–07 or a decision, or empty")
    )
    recipient = models.CharField(_("given to"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=500)
    disclosed_on = models.DateField(_("date"))
    parent_consent_name = models.CharField(_("parent or guardian who consented"), max_length=200)
    parent_consent_on = models.DateField(_("parent's consent on"))
    child_consent_on = models.DateField(_("child's consent on"), null=True, blank=True)
    child_age = models.PositiveSmallIntegerField(_("child's age on the day"), null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")
        ordering = ["-disclosed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.case} → {self.recipient}"
