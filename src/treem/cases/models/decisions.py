"""Who decides and who holds a case: delegations to a vice-chairman, and transfers between communes."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from treem.core.text import NOTE_MAX_LENGTH
from treem.units.models import Unit

from .case import Case
from .events import CaseEvent


class Delegation(models.Model):
    """A vice-chairman signs case decisions "KT. Chủ tịch" (on behalf of the chairman) only under a recorded
    delegation: who, in which commune, from when to when, and the document that gave it."""

    commune = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("commune"))
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="delegations", verbose_name=_("vice-chairman")
    )
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"))
    document = models.CharField(_("delegation document"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delegation to sign for the chairman")
        verbose_name_plural = _("delegations to sign for the chairman")
        ordering = ["-valid_from", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(valid_to__gte=models.F("valid_from")), name="delegation_dates_ordered")
        ]

    def __str__(self) -> str:
        return f"{self.delegate} · {self.valid_from:%d/%m/%Y}–{self.valid_to:%d/%m/%Y} · {self.document}"


class CaseTransfer(models.Model):
    """A case moved to the commune where the child now lives (Luật Trẻ em Art. 52.2), with its history. The sending
    commune keeps read access to what happened up to `event` (the transfer's own timeline row)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers")
    event = models.OneToOneField(CaseEvent, on_delete=models.CASCADE, related_name="+")
    from_commune = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    from_path = models.CharField(max_length=120, db_index=True)
    to_commune = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(max_length=NOTE_MAX_LENGTH, validators=[MaxLengthValidator(NOTE_MAX_LENGTH)])
    workers = models.JSONField(default=list, blank=True)  # the sending commune's workers on the case (user ids)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.from_commune} → {self.to_commune}"
