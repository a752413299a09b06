"""Province specialists supervise the cases of the communes below them (capability cases.supervise)."""

from django.db import migrations


def add(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for role in Role.objects.filter(code="province_specialist"):
        if "cases.supervise" not in role.capabilities:
            role.capabilities = [*role.capabilities, "cases.supervise"]
            role.save(update_fields=["capabilities"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_create_standard_roles")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
