"""Group proposals: a confirmed abuse case *proposes* a special-circumstance group; an officer confirms or rejects.

Which form of abuse proposes which group (Luật Trẻ em Art. 10, NĐ 56/2017 Arts. 3–16) is data (`GroupRule`, loaded
by a migration, editable by an administrator): a case outcome never files the child into a group by itself. For
example "bỏ rơi, bỏ mặc" as a form of abuse (Luật Trẻ em Art. 4.9, a carer's failure to care) is not group b
"trẻ em bị bỏ rơi" (NĐ 56 Art. 4, an abandoned child): at most a proposal that the officer judges.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from treem.registry.models import Child, CircumstanceType

from .case import AbuseForm, Case


class GroupRule(models.Model):
    """A form of abuse, once the case is confirmed, proposes this group (kind "special")."""

    abuse_form = models.CharField(_("form of abuse"), max_length=20, choices=AbuseForm.choices)
    circumstance_type = models.ForeignKey(
        CircumstanceType, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed group"),
        limit_choices_to={"kind": "special"},
    )  # fmt: skip
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("group proposal rule")
        verbose_name_plural = _("group proposal rules")
        constraints = [
            models.UniqueConstraint(fields=["abuse_form", "circumstance_type"], name="group_rule_unique_pair")
        ]

    def __str__(self) -> str:
        return f"{self.get_abuse_form_display()} → {self.circumstance_type}"


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("To be confirmed")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class GroupProposal(models.Model):
    """A case's proposal to put its child in a group from the intake date; decided by an officer."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="group_proposals")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    circumstance_type = models.ForeignKey(
        CircumstanceType, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed group")
    )
    abuse_form = models.CharField(_("form of abuse"), max_length=20, choices=AbuseForm.choices)
    valid_from = models.DateField(_("from"))
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    circumstance_id = models.PositiveBigIntegerField(null=True, blank=True)  # the registry row it created

    class Meta:
        verbose_name = _("group proposal")
        verbose_name_plural = _("group proposals")
        ordering = ["case", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "circumstance_type"], name="group_proposal_unique_per_case")
        ]

    def __str__(self) -> str:
        return f"{self.case} → {self.circumstance_type}"
