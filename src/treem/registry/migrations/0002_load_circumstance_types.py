"""Load the special-circumstance groups (Luật Trẻ em Art. 10, NĐ 56/2017 Arts. 3–16) and risk flags."""

from django.db import migrations


def load(apps, schema_editor):
    from treem.registry.reference import circumstance_types_sync

    circumstance_types_sync(
        apps.get_model("registry", "CircumstanceType"), apps.get_model("registry", "CircumstanceSubtype")
    )


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
