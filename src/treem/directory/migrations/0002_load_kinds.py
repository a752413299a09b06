"""Load the kinds of provider as data (an administrator may correct them, e.g. which count as a play spot)."""

from django.db import migrations


def load(apps, schema_editor):
    from treem.directory.kinds import kinds_sync

    kinds_sync(model=apps.get_model("directory", "ProviderKind"), using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
