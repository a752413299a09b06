"""The directory of services for children: the providers and facilities of each unit (a social work centre, a health
facility, the police, legal aid, a school, a shelter, a play spot, a cultural house…), their kind kept as data.

A kind says whether its places count as a play spot or cultural facility for children (the indicator "share of
communes with a play spot" counts those). A provider may have user accounts linked to it: those users receive the
case referrals made to it (in `cases`) and acknowledge them, seeing nothing of the case beyond what was referred.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from treem.units.models import Unit


class ProviderKind(models.Model):
    """A kind of provider or facility, as data (shipped in `fixtures/provider_kinds.json`)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    play_spot = models.BooleanField(
        _("counts as a play spot or cultural facility for children"), default=False,
        help_text=_("Its open places count for the indicator of communes with a play spot"),
    )  # fmt: skip
    takes_referrals = models.BooleanField(_("receives case referrals"), default=True)
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        verbose_name = _("kind of provider")
        verbose_name_plural = _("kinds of provider")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "vi").startswith("en") else self.name_vi


class ProviderStatus(models.TextChoices):
    OPEN = "open", _("Open")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


class Provider(models.Model):
    """A service provider or facility for children, attached to the unit it serves (a village, a commune, a
    province). Seen by the users whose scope holds that unit."""

    SCOPE_PATH_FIELD = "unit_path"

    kind = models.ForeignKey(ProviderKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="providers")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="providers")
    unit_path = models.CharField(max_length=120, db_index=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True, help_text=_("Places or people"))
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ProviderStatus.choices, default=ProviderStatus.OPEN)
    opened_on = models.DateField(_("open since"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("users of the provider"), blank=True, related_name="providers",
        help_text=_("They receive and acknowledge the case referrals made to this provider"),
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        ordering = ["unit_path", "kind__sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == ProviderStatus.OPEN
