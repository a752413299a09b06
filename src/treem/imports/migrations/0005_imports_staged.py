from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0004_preview_rows"),
    ]

    operations = [
        migrations.AddField(
            model_name="importjob",
            name="staged_context",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="importjob",
            name="staged_registry",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="importissue",
            name="staged",
            field=models.JSONField(blank=True, null=True),
        ),
    ]
