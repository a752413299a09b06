from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "treem.staff"
    label = "staff"
    verbose_name = _("Child protection staff")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        from .services import on_user_saved

        post_save.connect(on_user_saved, sender=get_user_model(), dispatch_uid="staff_worker_sync_user")
