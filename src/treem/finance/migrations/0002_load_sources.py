"""Ship the sources of funds of `fixtures/sources.json`; an existing row with the same code is left as an
administrator made it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import migrations

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "sources.json"
FIELDS = ("name_vi", "name_en", "kind", "sort_order")


def load(apps: Any, schema_editor: Any) -> None:
    source = apps.get_model("finance", "FundingSource")
    for row in json.loads(FIXTURE.read_text(encoding="utf-8")):
        defaults = {k: row[k] for k in FIELDS if k in row}
        source.objects.using(schema_editor.connection.alias).get_or_create(code=row["code"], defaults=defaults)


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
