"""`communes_play_spot` is computed from the directory of services from now on (it was entered): the communes with an
open play spot or cultural facility for children over all communes.

`definitions.sync` never overwrites an existing row (an administrator's edits stay), so an existing install gets the
change here: only while the row is still the shipped entered one (entered, no computation named). A fresh install
has no row yet and gets the computed one from the fixture. Figures entered before stay until the period is computed
again."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import migrations

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "indicators.json"
CODE = "communes_play_spot"


def forwards(apps: Any, schema_editor: Any) -> None:
    indicator = apps.get_model("indicators", "Indicator")
    shipped = next(r for r in json.loads(FIXTURE.read_text(encoding="utf-8"))["indicators"] if r["code"] == CODE)
    indicator.objects.using(schema_editor.connection.alias).filter(code=CODE, source="entered", numerator="").update(
        source="computed", numerator=shipped["numerator"], denominator=shipped["denominator"],
        definition_vi=shipped["definition_vi"], definition_en=shipped["definition_en"],
    )  # fmt: skip


def backwards(apps: Any, schema_editor: Any) -> None:
    indicator = apps.get_model("indicators", "Indicator")
    indicator.objects.using(schema_editor.connection.alias).filter(
        code=CODE, source="computed", numerator=CODE
    ).update(source="entered", numerator="", denominator="", definition_vi="", definition_en="")


class Migration(migrations.Migration):
    dependencies = [("indicators", "0005_cases_abuse_violations_handled_computed"), ("directory", "0002_load_kinds")]

    operations = [migrations.RunPython(forwards, backwards)]
