"""Budgets and the ledger (app finance): those who see the unit's work see its money (finance.view); the province
specialist and the commune officer record the allocations (finance.manage)."""

from django.db import migrations

GRANTS = {
    "finance.view": ("province_specialist", "commune_chairman", "commune_vice_chairman", "commune_officer"),
    "finance.manage": ("province_specialist", "commune_officer"),
}  # fmt: skip


def add(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for capability, codes in GRANTS.items():
        for role in Role.objects.filter(code__in=codes):
            if capability not in role.capabilities:
                role.capabilities = [*role.capabilities, capability]
                role.save(update_fields=["capabilities"])


def remove(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for role in Role.objects.filter(code__in={c for codes in GRANTS.values() for c in codes}):
        role.capabilities = [c for c in role.capabilities if c not in GRANTS]
        role.save(update_fields=["capabilities"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0009_directory_manage")]
    operations = [migrations.RunPython(add, remove)]
