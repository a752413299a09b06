"""Ship the programmes of `fixtures/programmes.json` (`gift-special`), so a fresh install has one to try; an
existing row with the same code is left as an administrator made it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import migrations

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "programmes.json"


def load(apps: Any, schema_editor: Any) -> None:
    programme = apps.get_model("support", "Programme")
    for row in json.loads(FIXTURE.read_text(encoding="utf-8")):
        values = {k: v for k, v in row.items() if k != "code"}
        programme.objects.using(schema_editor.connection.alias).get_or_create(code=row["code"], defaults=values)


class Migration(migrations.Migration):
    dependencies = [("support", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
