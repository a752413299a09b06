"""The directory of services: the province specialist and the commune officer keep their unit's providers and
facilities (capability directory.manage)."""

from django.db import migrations

KEEPERS = ("province_specialist", "commune_officer")


def add(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for role in Role.objects.filter(code__in=KEEPERS):
        if "directory.manage" not in role.capabilities:
            role.capabilities = [*role.capabilities, "directory.manage"]
            role.save(update_fields=["capabilities"])


def remove(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for role in Role.objects.filter(code__in=KEEPERS):
        role.capabilities = [c for c in role.capabilities if c != "directory.manage"]
        role.save(update_fields=["capabilities"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0008_plans_manage")]
    operations = [migrations.RunPython(add, remove)]
