"""Load the legal clocks of NĐ 56/2017 as data (an administrator may correct them)."""

from django.db import migrations


def load(apps, schema_editor):
    from treem.cases.clocks import clock_rules_sync

    clock_rules_sync(apps.get_model("cases", "ClockRule"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
