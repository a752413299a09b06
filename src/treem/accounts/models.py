"""Users, roles (rows, so a province can add its own) and the unit each user works for."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from treem.units.models import Level, Unit

from .capabilities import CASE_WORK


class Role(models.Model):
    """A job in child protection work. Capabilities are codes from `accounts.capabilities`."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    unit_level = models.CharField(
        _("works at level"), max_length=10, choices=Level.choices, help_text=_("The level of unit this role works for")
    )
    capabilities = models.JSONField(_("capabilities"), default=list, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=100)
    requires_otp = models.BooleanField(
        _("requires two-factor authentication"), default=False,
        help_text=_("Users of this role confirm each login with a code from an authenticator app (TOTP)."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "vi").startswith("en") else self.name_vi

    def has(self, capability: str) -> bool:
        return capability in self.capabilities


class User(AbstractUser):
    """A Treem user. Every user works for exactly one unit; what they see is that unit and below."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    role = models.ForeignKey(
        Role, verbose_name=_("role"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def get_full_name(self) -> str:
        """Vietnamese order: family and middle names (last_name) first, then the given name."""
        return " ".join(p for p in (self.last_name, self.first_name) if p).strip()

    def get_short_name(self) -> str:
        return self.first_name

    def has_capability(self, capability: str) -> bool:
        """What the user's role grants. A superuser administers (users, units, settings, Django admin) and so has
        every capability except case work, which only a case role gives (`capabilities.CASE_WORK`)."""
        if not self.is_active:
            return False
        if self.role is not None and self.role.has(capability):
            return True
        return self.is_superuser and capability not in CASE_WORK
