"""The vice-chairman is a role of its own: decisions on cases are the chairman's (NĐ 56/2017 Arts. 28, 30, 32); a
vice-chairman signs them "KT. Chủ tịch" only under a recorded delegation (capability cases.approve_on_behalf)."""

from django.db import migrations

OLD_CHAIRMAN_NAME = "Chủ tịch/Phó Chủ tịch UBND xã"
VICE = {
    "code": "commune_vice_chairman",
    "name_vi": "Phó Chủ tịch UBND xã",
    "name_en": "Commune vice-chairman",
    "unit_level": "commune",
    "description": 'Signs case decisions "KT. Chủ tịch" only under a recorded delegation from the chairman.',
    "capabilities": ["units.view", "registry.view", "cases.view", "cases.approve_on_behalf", "figures.view"],
}


def add(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    chairman = Role.objects.filter(code="commune_chairman").first()
    order = chairman.sort_order + 5 if chairman else 100
    Role.objects.get_or_create(code=VICE["code"], defaults={**{k: v for k, v in VICE.items() if k != "code"},
                                                             "sort_order": order})  # fmt: skip
    if chairman is not None and chairman.name_vi == OLD_CHAIRMAN_NAME:  # an administrator's own name is kept
        chairman.name_vi = "Chủ tịch UBND xã"
        chairman.save(update_fields=["name_vi"])


def remove(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    Role.objects.filter(code=VICE["code"], users__isnull=True).delete()
    Role.objects.filter(code="commune_chairman", name_vi="Chủ tịch UBND xã").update(name_vi=OLD_CHAIRMAN_NAME)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_commune_officer_merges_records")]
    operations = [migrations.RunPython(add, remove)]
