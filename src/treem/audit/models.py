"""The audit trail: who read or changed what, when, from where. Append-only: rows are never updated or deleted."""

from __future__ import annotations

import functools
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
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

    @property
    def target_label(self) -> str:
        """The kind of record in the reader's language ("Vụ việc", "Trẻ em"), or the stored type when unknown."""
        return target_type_label(self.target_type)


def target_type_label(target_type: str) -> str:
    """A stored record type ("case", "child": a model's name, written by the app that logs it) as the model's
    name in the active language. Looked up by name in the app registry: the audit app imports no app above it."""
    model = _models_by_name().get(target_type)
    return capfirst(str(model._meta.verbose_name)) if model is not None else target_type


@functools.cache
def _models_by_name() -> dict[str, type[models.Model]]:
    found: dict[str, type[models.Model]] = {}
    for model in apps.get_models():
        if model.__module__.startswith("treem."):
            found.setdefault(model._meta.model_name or "", model)
    return found
