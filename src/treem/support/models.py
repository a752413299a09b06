"""Support programmes (gifts, allowances, scholarships, health insurance, the Child Protection Fund), their rounds,
beneficiary lists and deliveries, and the Child Protection Fund's donations in and spending out.

A round is one distribution of a programme in a unit on a date (the 1/6 gift of a commune): its list is generated
from the programme's eligibility rules (`rules`) for the children living in the unit and below on that date,
reviewed (excluded with a reason, added by hand with a reason), approved, exported for signing, and then each
child's delivery is recorded. A child is on a round's list at most once, and receives at most once (constraints).
Money is VND, whole đồng.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from treem.finance.models import FundingSource, SourceKind
from treem.registry.models import Child
from treem.units.models import Unit


class ProgrammeKind(models.TextChoices):
    GIFT = "gift", _("Gift")
    ALLOWANCE = "allowance", _("Monthly allowance")
    SCHOLARSHIP = "scholarship", _("Scholarship")
    HEALTH_INSURANCE = "health_insurance", _("Health insurance")
    FUND = "fund", _("Child Protection Fund support")
    RELIEF = "relief", _("Disaster or epidemic relief")
    OTHER = "other", _("Other support")


class Programme(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ProgrammeKind.choices)
    source = models.ForeignKey(
        FundingSource, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("source of funds"),
    )  # fmt: skip
    budget = models.PositiveBigIntegerField(_("budget (VND)"), null=True, blank=True)
    default_item = models.CharField(_("what is given"), max_length=200, blank=True)
    default_value = models.PositiveBigIntegerField(_("value per child (VND)"), null=True, blank=True)
    rules = models.JSONField(
        _("eligibility rules"), default=list,
        help_text=_("A list of rules; a child is eligible when one matches. See the support documentation."),
    )  # fmt: skip
    description = models.TextField(_("description"), blank=True, max_length=2000)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("support programme")
        verbose_name_plural = _("support programmes")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "vi").startswith("en") and self.name_en else self.name_vi

    @property
    def paid_from_fund(self) -> bool:
        """Paid from the Child Protection Fund (its shared source is of kind `fund`): each delivery is the fund's
        spending too."""
        return self.source is not None and self.source.kind == SourceKind.FUND

    def clean(self) -> None:
        from .selectors import parse_programme_rules

        try:
            parse_programme_rules(self.rules)
        except ValidationError as exc:
            raise ValidationError({"rules": exc.messages}) from exc


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


class Round(models.Model):
    SCOPE_PATH_FIELD = "unit_path"

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("programme")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    unit_path = models.CharField(max_length=120, db_index=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    on = models.DateField(_("list date"), help_text=_("Who lived in the unit on this date, by their situation then"))
    status = models.CharField(_("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    item = models.CharField(_("what is given"), max_length=200, blank=True)
    value = models.PositiveBigIntegerField(_("value per child (VND)"), null=True, blank=True)
    generated_at = models.DateTimeField(_("list generated"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("approved by"),
    )  # fmt: skip
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    # A relief round for a disaster or epidemic: its list is the event's confirmed affected children (`disasters`).
    disaster = models.ForeignKey(
        "Disaster", on_delete=models.PROTECT, null=True, blank=True, related_name="rounds",
        verbose_name=_("for the disaster or epidemic"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("distribution round")
        verbose_name_plural = _("distribution rounds")
        ordering = ["-on", "unit_path"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "unit", "on"], name="support_round_once_per_unit_and_date")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_draft(self) -> bool:
        return self.status == RoundStatus.DRAFT


class BeneficiaryStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    EXCLUDED = "excluded", _("Excluded")


class Beneficiary(models.Model):
    """A child on a round's list: where the child lived on the round's date, the groups and the reason."""

    SCOPE_PATH_FIELD = "unit_path"

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="beneficiaries")
    # The round's programme and date, copied so that the database can hold "one list of a programme per child and
    # date" (`support_beneficiary_once_per_programme_and_date`): a village's list inside the commune's.
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+", editable=False)
    on = models.DateField(editable=False)
    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="support_beneficiaries", verbose_name=_("child")
    )
    commune = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("commune"))
    village = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("village")
    )
    unit_path = models.CharField(max_length=120, db_index=True, editable=False)
    # Law letters of the groups the child was in on the round's date (case-derived groups never: they are case data).
    groups = models.CharField(_("groups"), max_length=60, blank=True)
    reason = models.CharField(_("reason"), max_length=300)
    manual = models.BooleanField(_("added by hand"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=BeneficiaryStatus.choices, default=BeneficiaryStatus.PROPOSED
    )
    exclusion_reason = models.CharField(_("reason for exclusion"), max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("beneficiary")
        verbose_name_plural = _("beneficiaries")
        ordering = ["round", "unit_path", "child__name_key", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "child"], name="support_beneficiary_once_per_round"),
            models.UniqueConstraint(
                fields=["programme", "on", "child"],
                condition=~Q(status=BeneficiaryStatus.EXCLUDED),
                name="support_beneficiary_once_per_programme_and_date",
            ),
            models.CheckConstraint(
                condition=~Q(status=BeneficiaryStatus.EXCLUDED) | ~Q(exclusion_reason=""),
                name="support_beneficiary_excluded_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child} ({self.round})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.programme_id is None:  # bulk_create does not come here: the caller sets both
            self.programme_id, self.on = self.round.programme_id, self.round.on
        super().save(*args, **kwargs)

    @property
    def group_letters(self) -> list[str]:
        return [g for g in self.groups.split(";") if g]


class Delivery(models.Model):
    """What a beneficiary received: one delivery per child and round (a child cannot receive a round twice)."""

    SCOPE_PATH_FIELD = "unit_path"

    beneficiary = models.OneToOneField(
        Beneficiary, on_delete=models.PROTECT, related_name="delivery", verbose_name=_("beneficiary")
    )
    unit_path = models.CharField(max_length=120, db_index=True, editable=False)
    item = models.CharField(_("what"), max_length=200)
    value = models.PositiveBigIntegerField(_("value (VND)"), default=0)
    delivered_on = models.DateField(_("date delivered"))
    delivered_by = models.CharField(_("delivered by"), max_length=200)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["delivered_on", "pk"]
        indexes = [models.Index(fields=["delivered_on", "unit_path"], name="support_delivery_day_path")]

    def __str__(self) -> str:
        return f"{self.item} ({self.delivered_on:%d/%m/%Y})"


class Donation(models.Model):
    """Money given to a unit's Child Protection Fund (Quỹ Bảo trợ trẻ em)."""

    SCOPE_PATH_FIELD = "unit_path"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("fund of"))
    unit_path = models.CharField(max_length=120, db_index=True, editable=False)
    donor = models.CharField(_("donor"), max_length=200)
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    received_on = models.DateField(_("date received"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        ordering = ["-received_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="support_donation_positive")]

    def __str__(self) -> str:
        return f"{self.donor}: {self.amount}"


class FundSpending(models.Model):
    """Money spent from a unit's Child Protection Fund; when it paid for a delivery, linked to it."""

    SCOPE_PATH_FIELD = "unit_path"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("fund of"))
    unit_path = models.CharField(max_length=120, db_index=True, editable=False)
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    spent_on = models.DateField(_("date spent"))
    purpose = models.CharField(_("purpose"), max_length=300)
    delivery = models.OneToOneField(
        Delivery, on_delete=models.PROTECT, null=True, blank=True, related_name="fund_spending",
        verbose_name=_("delivery"),
    )  # fmt: skip
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("fund spending")
        verbose_name_plural = _("fund spending")
        ordering = ["-spent_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="support_spending_positive")]

    def __str__(self) -> str:
        return f"{self.purpose}: {self.amount}"


# --- disasters and epidemics: the children they hit, their needs, the support they received -----------------------


class _Kind(models.Model):
    """A kind kept as data: a code, Vietnamese and English names (shown in the user's language), an order."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "vi").startswith("en") and self.name_en else self.name_vi


class DisasterKind(_Kind):
    """Flood, flash flood, landslide, storm, drought, epidemic…: data (`support/fixtures/disaster_kinds.json`)."""

    class Meta(_Kind.Meta):
        verbose_name = _("kind of disaster or epidemic")
        verbose_name_plural = _("kinds of disaster or epidemic")


class NeedKind(_Kind):
    """What an affected child needs: food, shelter, school supplies, health care, psychosocial support…: data."""

    class Meta(_Kind.Meta):
        verbose_name = _("kind of need")
        verbose_name_plural = _("kinds of need")


class Disaster(models.Model):
    """A disaster or epidemic declared by a commune or province on some of its villages and communes, with dates."""

    SCOPE_PATH_FIELD = "unit_path"

    kind = models.ForeignKey(DisasterKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("kind"))
    name = models.CharField(_("name"), max_length=200)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("declared by"))
    unit_path = models.CharField(max_length=120, db_index=True, editable=False)
    places = models.ManyToManyField(Unit, related_name="+", verbose_name=_("places hit"))
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("to"), null=True, blank=True, help_text=_("Empty: still going on"))
    description = models.TextField(_("description"), max_length=2000, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    declared_at = models.DateTimeField(auto_now_add=True)
    proposed_at = models.DateTimeField(_("affected children proposed"), null=True, blank=True)

    class Meta:
        verbose_name = _("disaster or epidemic")
        verbose_name_plural = _("disasters and epidemics")
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="support_disaster_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name


class AffectedStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Affected")
    NOT_AFFECTED = "not_affected", _("Not affected")


class AffectedChild(models.Model):
    """A child who lived in a place hit during the event: proposed from the residences, then confirmed affected (with
    the child's needs) or marked not affected (with the reason); or added by hand (with the reason)."""

    SCOPE_PATH_FIELD = "unit_path"

    disaster = models.ForeignKey(Disaster, on_delete=models.CASCADE, related_name="affected")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+", verbose_name=_("child"))
    commune = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("commune"))
    village = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("village")
    )
    unit_path = models.CharField(max_length=120, db_index=True, editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=AffectedStatus.choices, default=AffectedStatus.PROPOSED
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    manual = models.BooleanField(_("added by hand"), default=False)
    needs = models.ManyToManyField(NeedKind, blank=True, related_name="+", verbose_name=_("needs"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("child affected")
        verbose_name_plural = _("children affected")
        ordering = ["disaster", "unit_path", "child__name_key", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["disaster", "child"], name="support_affected_once_per_event"),
            models.CheckConstraint(
                condition=~Q(status=AffectedStatus.NOT_AFFECTED) | ~Q(reason=""),
                name="support_not_affected_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child} ({self.disaster})"
