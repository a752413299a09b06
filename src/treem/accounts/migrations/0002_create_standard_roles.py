"""Create the standard roles from fixtures/roles.json (rows an administrator may edit later)."""

import json
from pathlib import Path

from django.db import migrations

ROLES_FILE = Path(__file__).resolve().parents[1] / "fixtures" / "roles.json"


def create_roles(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for order, row in enumerate(json.loads(ROLES_FILE.read_text(encoding="utf-8"))):
        Role.objects.get_or_create(
            code=row["code"],
            defaults={
                "name_vi": row["name_vi"],
                "name_en": row["name_en"],
                "unit_level": row["unit_level"],
                "capabilities": row["capabilities"],
                "description": row.get("description", ""),
                "sort_order": order * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
