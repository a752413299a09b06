"""The province user administrator: manages the accounts of the province's units (capability users.manage), in
Treem's own pages rather than the Django admin."""

from django.db import migrations

ROLE = {
    "code": "province_admin",
    "name_vi": "Quản trị người dùng cấp tỉnh",
    "name_en": "Province user administrator",
    "unit_level": "province",
    "description": "Manages the user accounts of the province and its communes and villages (create, role and unit, "
    "password reset, deactivation); sees no registry or case content.",
    "capabilities": ["units.view", "users.manage"],
}


def add(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    auditor = Role.objects.filter(code="auditor").first()
    order = auditor.sort_order + 5 if auditor else 100
    Role.objects.get_or_create(
        code=ROLE["code"], defaults={**{k: v for k, v in ROLE.items() if k != "code"}, "sort_order": order}
    )


def remove(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    Role.objects.filter(code=ROLE["code"], users__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_commune_vice_chairman")]
    operations = [migrations.RunPython(add, remove)]
