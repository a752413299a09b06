"""The audit trail: who read or changed what, when, from where. Append-only: rows are never updated or deleted."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    VIEW = "view", _("Viewed")
    LIST = "list", _("Listed")
    CREATE = "create", _("Created")
    CHANGE = "change", _("Changed")
    TRANSITION = "transition", _("Moved to a new step")
    PRINT = "print", _("Printed")
    EXPORT = "export", _("Exported")
    NOTIFY = "notify", _("Notified")


class AppendOnlyError(RuntimeError):
    pass


class AuditEvent(models.Model):
    SCOPE_PATH_FIELD = "unit_path"
    SCOPE_PATH_FOLLOWS_UNIT = False  # append-only: a unit moved later does not rewrite what was logged

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=True
    )
    actor_name = models.CharField(_("user"), max_length=200, blank=True)
    unit_path = models.CharField(max_length=120, db_index=True)
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    target_type = models.CharField(_("record type"), max_length=40)
    target_id = models.CharField(_("record"), max_length=40, db_index=True)
    summary = models.CharField(_("what"), max_length=500, blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["target_type", "target_id", "at"], name="audit_target_at")]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor_name} {self.action} {self.target_type}#{self.target_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("audit events are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("audit events are never deleted")
