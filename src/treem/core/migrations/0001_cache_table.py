"""The table of the database cache (settings.CACHES), created with the migrations so that no deployment step is
forgotten (Django's own `createcachetable` would be one more command to run)."""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "treem_cache"


def create(apps, schema_editor) -> None:  # noqa: ANN001, ARG001
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop(apps, schema_editor) -> None:  # noqa: ANN001, ARG001
    schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    initial = True
    dependencies: list[tuple[str, str]] = []
    operations = [migrations.RunPython(create, drop, elidable=False)]
