"""The words communes write for each special-circumstance group (an import reads them), seeded from the fixture
for the groups that have none yet; an administrator extends them."""

from django.db import migrations, models


def seed(apps, schema_editor):
    from treem.registry.reference import circumstance_synonyms

    CircumstanceType = apps.get_model("registry", "CircumstanceType")
    for kind, rows in circumstance_synonyms().items():
        for code, words in rows.items():
            CircumstanceType.objects.filter(kind=kind, code=code, synonyms=[]).update(synonyms=words)


class Migration(migrations.Migration):
    dependencies = [("registry", "0011_residence")]
    operations = [
        migrations.AddField(
            model_name="circumstancetype",
            name="synonyms",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="What communes write for this group in their lists; compared without case or diacritics",
                verbose_name="other names",
            ),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
