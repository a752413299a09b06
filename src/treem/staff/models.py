"""The people who work in child protection: the commune's child-protection officer and the village collaborators.

A `Worker` is one person in one post (a position in a unit) from `since` until `until`. People with a user account
in a role that is such a post (`ROLE_POSITION`) get their rows from the account (`services.worker_sync_user`, run on
every save of a user): nobody types them in again. People without an account are entered on the roster. A row
never disappears: a person who leaves (an account deactivated, given another role or unit) keeps the row with the
day they stopped in `until`.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from treem.registry.models import Sex
from treem.units.models import Level, Unit


class Position(models.TextChoices):
    OFFICER = "officer", _("Child-protection officer")
    COLLABORATOR = "collaborator", _("Village collaborator")


# The level of unit each position works for: an officer serves a commune, a collaborator a village.
POSITION_LEVEL: dict[str, str] = {Position.OFFICER: Level.COMMUNE, Position.COLLABORATOR: Level.VILLAGE}

# The account roles (codes of `accounts.Role`) that are posts on the roster.
ROLE_POSITION: dict[str, str] = {"commune_officer": Position.OFFICER, "village_collaborator": Position.COLLABORATOR}


def in_post(day: dt.date) -> Q:
    """In post on `day`: started on or before it and not stopped by then (`until` is the day they stopped)."""
    return (Q(until__isnull=True) | Q(until__gt=day)) & Q(since__lte=day)


class WorkerQuerySet(models.QuerySet["Worker"]):
    def active_on(self, day: dt.date) -> WorkerQuerySet:
        return self.filter(in_post(day))

    def open(self) -> WorkerQuerySet:
        return self.filter(until__isnull=True)


class Worker(models.Model):
    """One person in one post: position, unit (a commune for an officer, a village for a collaborator), since and
    until. `user` links the rows that come from an account; their name and phone follow the account."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="staff_workers")
    unit_path = models.CharField(max_length=120, db_index=True, editable=False)
    position = models.CharField(_("position"), max_length=20, choices=Position.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user account"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="staff_posts",
    )  # fmt: skip
    full_name = models.CharField(_("full name"), max_length=200)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True, help_text=_("The day the person stopped"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WorkerQuerySet.as_manager()

    class Meta:
        verbose_name = _("child protection worker")
        verbose_name_plural = _("child protection workers")
        ordering = ["unit_path", "position", "full_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")), name="staff_worker_until_after_since"
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(until__isnull=True, user__isnull=False),
                name="staff_worker_one_open_per_user",
            ),
        ]
        indexes = [models.Index(fields=["position", "until"], name="staff_worker_position_until")]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_position_display()}, {self.unit})"

    @property
    def from_account(self) -> bool:
        return self.user_id is not None

    def active_on(self, day: dt.date) -> bool:
        return self.since <= day and (self.until is None or self.until > day)
