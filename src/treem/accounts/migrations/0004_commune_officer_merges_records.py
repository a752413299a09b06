"""Deciding on duplicate records (and merging them) is the commune officer's work: capability registry.merge.

Village collaborators keep registry.edit but never merge: a merge can move a confidential case to another child."""

from django.db import migrations

MERGERS = ("commune_officer",)


def add(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for role in Role.objects.filter(code__in=MERGERS):
        if "registry.merge" not in role.capabilities:
            role.capabilities = [*role.capabilities, "registry.merge"]
            role.save(update_fields=["capabilities"])


def remove(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for role in Role.objects.filter(code__in=MERGERS):
        role.capabilities = [c for c in role.capabilities if c != "registry.merge"]
        role.save(update_fields=["capabilities"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_province_supervises_cases")]
    operations = [migrations.RunPython(add, remove)]
