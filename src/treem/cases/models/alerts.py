"""What tells people: notifications of clocks, the rapid report (báo cáo nhanh) to the province and its rules."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from treem.units.models import Unit

from .case import Case
from .clocks import Deadline


class Notification(models.Model):
    class Kind(models.TextChoices):
        OVERDUE = "overdue", _("Overdue")
        DUE_SOON = "due_soon", _("Due soon")
        UNRESOLVED = "unresolved", _("Abuse case without legal outcome")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+", null=True, blank=True)
    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="+", null=True, blank=True)
    message = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.OVERDUE)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "deadline", "kind"], name="notification_once_per_deadline_kind"
            ),
            models.UniqueConstraint(
                fields=["recipient", "case"], condition=models.Q(kind="unresolved"),
                name="notification_unresolved_once_per_case",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.message


class RapidAlert(models.Model):
    """'Báo cáo nhanh': a serious new case reported to the province with no identifying details."""

    province = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=120, db_index=True)
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="rapid_alert")
    created_at = models.DateTimeField(auto_now_add=True)
    summary = models.CharField(max_length=500)
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.summary


class RapidReportRule(models.Model):
    """Which new cases a province wants a rapid report (báo cáo nhanh) of: data, not code.

    The rule with an empty `province_code` is the default (serious cases, sexual abuse, trafficking); a province's
    own rule replaces it. The province is named by its official code, the same in the former and current trees.
    """

    province_code = models.CharField(
        _("province code"), max_length=20, unique=True, blank=True,
        help_text=_("Official code of the province; empty for the default rule"),
    )  # fmt: skip
    categories = models.JSONField(_("case categories"), default=list, blank=True)
    abuse_forms = models.JSONField(_("forms of abuse that trigger a report"), default=list, blank=True)
    on_serious = models.BooleanField(_("every case with death or grave injury"), default=True)
    on_danger = models.BooleanField(_("every case where the child is seriously threatened"), default=False)
    note = models.CharField(_("basis"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("rapid report rule")
        verbose_name_plural = _("rapid report rules")
        ordering = ["province_code"]

    def __str__(self) -> str:
        return self.province_code or "*"

    def applies_to(self, case: Case) -> bool:
        if case.category not in self.categories:
            return False
        forms = set(case.abuse_forms) & set(self.abuse_forms)
        return bool(forms) or (self.on_serious and case.serious) or (self.on_danger and case.in_danger)
