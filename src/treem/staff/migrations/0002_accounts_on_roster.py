"""The accounts that exist when the roster is installed: every active account in a post role (`ROLE_POSITION`) working
for a unit of that post's level gets its open row, from the day the account was made (later changes keep it in line
through `services.worker_sync_user`). Nothing to undo: removing the rows is the reverse of creating the table."""

from __future__ import annotations

from typing import Any

from django.db import migrations

ROLE_POSITION = {"commune_officer": ("officer", "commune"), "village_collaborator": ("collaborator", "village")}


def forwards(apps: Any, schema_editor: Any) -> None:
    db = schema_editor.connection.alias
    user_model = apps.get_model("accounts", "User")
    worker_model = apps.get_model("staff", "Worker")
    users = user_model.objects.using(db).filter(is_active=True, role__code__in=list(ROLE_POSITION), unit__isnull=False)
    for user in users.select_related("role", "unit"):
        position, level = ROLE_POSITION[user.role.code]
        if user.unit.level != level or worker_model.objects.using(db).filter(user=user, until__isnull=True).exists():
            continue
        name = " ".join(p for p in (user.last_name, user.first_name) if p).strip() or user.username
        worker_model.objects.using(db).create(
            user=user, position=position, unit=user.unit, unit_path=user.unit.path, full_name=name, phone=user.phone,
            since=user.date_joined.date(),
        )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("staff", "0001_initial"), ("accounts", "0008_plans_manage")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
