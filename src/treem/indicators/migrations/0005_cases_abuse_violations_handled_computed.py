"""`abuse_violations_handled` is computed from the legal outcomes recorded on abuse cases from now on (it was entered).

`definitions.sync` never overwrites an existing row (an administrator's edits stay), so an existing install gets the
change here: only while the row is still the shipped entered one (entered, no computation named). A fresh install
has no row yet and gets the computed one from the fixture. Figures entered before stay until the period is computed
again. (Numbered 0004: issue 16's other branch adds indicators 0003; after the merge this depends on it.)"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import migrations

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "indicators.json"
CODE = "abuse_violations_handled"


def forwards(apps: Any, schema_editor: Any) -> None:
    indicator = apps.get_model("indicators", "Indicator")
    shipped = next(r for r in json.loads(FIXTURE.read_text(encoding="utf-8"))["indicators"] if r["code"] == CODE)
    indicator.objects.using(schema_editor.connection.alias).filter(code=CODE, source="entered", numerator="").update(
        source="computed", numerator=CODE, definition_vi=shipped["definition_vi"], definition_en=shipped["definition_en"]
    )


class Migration(migrations.Migration):
    dependencies = [("indicators", "0004_injuries_deaths_computed"), ("cases", "0011_legal_outcomes_helpline")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
