"""A case referred to a provider of the directory, and the provider's acknowledgement (NĐ 56 Art. 24: case
information stays confidential; Luật Trẻ em Art. 6.11: given out only with consent)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from treem.directory.models import Provider

from .case import Case
from .disclosures import Disclosure
from .events import CaseEvent


class AcknowledgedVia(models.TextChoices):
    SYSTEM = "system", _("By the provider in Treem")
    PHONE = "phone", _("By phone")
    LETTER = "letter", _("By letter or official dispatch")
    IN_PERSON = "in_person", _("In person")


class Referral(models.Model):
    """The case referred to a provider for a service. What the provider's users see is `shared` (written when
    the referral is made, with the consents recorded as a `Disclosure`), never the case itself."""

    SCOPE_PATH_FIELD = "unit_path"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals")
    unit_path = models.CharField(max_length=120, db_index=True, editable=False)
    provider = models.ForeignKey(Provider, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+")
    event = models.OneToOneField(CaseEvent, on_delete=models.PROTECT, related_name="referral")
    disclosure = models.OneToOneField(Disclosure, on_delete=models.PROTECT, related_name="referral")
    referred_on = models.DateField(_("referred on"))
    service = models.CharField(_("service asked for"), max_length=300)
    shared = models.JSONField(
        _("information given to the provider"), default=dict,
        help_text=_("The child's name, year of birth and commune, the worker to contact, and the summary written"),
    )  # fmt: skip
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    acknowledged_on = models.DateField(_("acknowledged on"), null=True, blank=True)
    acknowledged_via = models.CharField(_("acknowledged"), max_length=10, choices=AcknowledgedVia.choices, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_name = models.CharField(_("acknowledged by (person at the provider)"), max_length=200, blank=True)
    acknowledgement_note = models.CharField(_("provider's note"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-referred_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.case} → {self.provider}"

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_on is not None
