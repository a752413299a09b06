"""API tokens, hashed at rest.

A token is `trm_<prefix>_<secret>`: the prefix finds the row, the SHA-256 of the whole token is what is stored and
compared. The clear token is shown once, when it is made, and never stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True, help_text=_("What the token is for"))
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    digest = models.CharField(max_length=64, editable=False)  # SHA-256 hex of the whole token
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"trm_{self.prefix}_…"

    def is_live(self, now: object = None) -> bool:
        moment = now or timezone.now()
        return self.revoked_at is None and self.expires_at > moment  # type: ignore[operator]


class SyncState(models.Model):
    """Where the exchange with one remote Treem stands: the remote's clock at the last completed pull, ours at the
    last completed push."""

    remote = models.CharField(_("remote"), max_length=300, unique=True)
    pulled_until = models.DateTimeField(null=True, blank=True)
    pushed_until = models.DateTimeField(null=True, blank=True)
    pulled_at = models.DateTimeField(null=True, blank=True)  # our clock when the last pull began (figures' conflicts)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sync state")
        verbose_name_plural = _("sync states")

    def __str__(self) -> str:
        return self.remote


class SyncLink(models.Model):
    """One record known on both sides: our id and the remote's, and each side's version stamp at the last sync
    (a side whose stamp moved since has changed the record; both moved: a conflict)."""

    remote = models.CharField(max_length=300)
    kind = models.CharField(max_length=20)  # household, child, circumstance
    local_id = models.BigIntegerField()
    remote_id = models.BigIntegerField()
    local_stamp = models.CharField(max_length=40)
    remote_stamp = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["remote", "kind", "local_id"], name="sync_link_local"),
            models.UniqueConstraint(fields=["remote", "kind", "remote_id"], name="sync_link_remote"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.local_id} = {self.remote}#{self.remote_id}"
