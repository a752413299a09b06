"""Exact small figures (no small-cell suppression) for those who see the registry of their unit anyway: the commune
officer and the province specialist get capability figures.exact. Everyone else reads published tables, where
figures from 1 to 4 are hidden."""

from django.db import migrations

READERS = ("commune_officer", "province_specialist")


def add(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for role in Role.objects.filter(code__in=READERS):
        if "figures.exact" not in role.capabilities:
            role.capabilities = [*role.capabilities, "figures.exact"]
            role.save(update_fields=["capabilities"])


def remove(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for role in Role.objects.filter(code__in=READERS):
        role.capabilities = [c for c in role.capabilities if c != "figures.exact"]
        role.save(update_fields=["capabilities"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_province_admin_role")]
    operations = [migrations.RunPython(add, remove)]
