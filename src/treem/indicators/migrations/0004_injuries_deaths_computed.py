"""`child_injuries` and `child_injury_deaths` are computed from the injuries and deaths recorded in the registry from
now on (they were entered), broken down by sex, age group and kind (`group`).

`definitions.sync` never overwrites an existing row (an administrator's edits stay), so an existing install gets the
change here: only while the row is still the shipped entered one (entered, no computation named). A fresh install
has no row yet and gets the computed one from the fixture after migrating; `child_deaths` and the rates per 100,000
are new rows, which `sync` adds after every migrate. Figures entered before stay until the period is computed again."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import migrations

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "indicators.json"
CODES = ("child_injuries", "child_injury_deaths")


def forwards(apps: Any, schema_editor: Any) -> None:
    indicator = apps.get_model("indicators", "Indicator")
    rows = {r["code"]: r for r in json.loads(FIXTURE.read_text(encoding="utf-8"))["indicators"]}
    for code in CODES:
        shipped = rows[code]
        indicator.objects.using(schema_editor.connection.alias).filter(
            code=code, source="entered", numerator=""
        ).update(
            source="computed", numerator=code, disaggregations=shipped["disaggregations"],
            definition_vi=shipped["definition_vi"], definition_en=shipped["definition_en"],
        )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("indicators", "0003_dashboards_value_stamp_index"), ("registry", "0014_incidents")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
