"""Everything that happened in a case, dated: steps with the form's content, services, separations, placements…"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from treem.core.text import NOTE_MAX_LENGTH

from .case import Case


class EventKind(models.TextChoices):
    TRANSITION = "transition", _("Step")
    NOTE = "note", _("Note")
    SERVICE = "service", _("Service or referral")
    SEPARATION = "separation", _("Temporary separation")
    SEPARATION_END = "separation_end", _("Separation ended")
    SEPARATION_EXTENDED = "separation_extended", _("Separation extended")
    PLACEMENT = "placement", _("Alternative-care placement")
    FOLLOW_UP = "follow_up", _("Alternative-care follow-up")
    COURT_PETITION = "court_petition", _("Court petition")
    SEPARATION_REVIEW = "separation_review", _("Re-assessment of the family's safety (Form 03)")
    CARE_CHANGE = "care_change", _("Change of alternative carer or form of care")
    ASSIGNMENT = "assignment", _("Worker assigned")
    CLOSURE_REFUSED = "closure_refused", _("Closure refused by the chairman")
    TRANSFER = "transfer", _("Case transferred to another commune")


# The commune chairman's decisions among the events (NĐ 56 Art. 32.2–3): separation, its extension and its end.
DECISION_EVENT_KINDS = (EventKind.SEPARATION, EventKind.SEPARATION_EXTENDED, EventKind.SEPARATION_END)


class CaseEvent(models.Model):
    """Everything that happened in a case, dated: steps (with the form's content), services, placements…"""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30, blank=True)
    at = models.DateTimeField(db_index=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True, max_length=NOTE_MAX_LENGTH, validators=[MaxLengthValidator(NOTE_MAX_LENGTH)])
    data = models.JSONField(default=dict, blank=True)  # the form's content (assessment factors, plan items…)

    class Meta:
        ordering = ["case", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.kind} {self.to_status}"
