"""Action plans: the province specialist and the commune officer manage their unit's plans (capability
plans.manage); agency reporters already report on their tasks (tasks.report)."""

from django.db import migrations

MANAGERS = ("province_specialist", "commune_officer")


def add(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for role in Role.objects.filter(code__in=MANAGERS):
        if "plans.manage" not in role.capabilities:
            role.capabilities = [*role.capabilities, "plans.manage"]
            role.save(update_fields=["capabilities"])


def remove(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for role in Role.objects.filter(code__in=MANAGERS):
        role.capabilities = [c for c in role.capabilities if c != "plans.manage"]
        role.save(update_fields=["capabilities"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0007_figures_exact")]
    operations = [migrations.RunPython(add, remove)]
