"""The indicators of the activities (`activities`): communication, trainings and the people trained, inspections,
steering meetings, children reached, communes with a children's club meeting; computed from the activities recorded
(`activities.computations`, registered from ActivitiesConfig.ready()). A fresh install gets the rows from the fixture
after its migrate (`definitions.sync`); this gives an existing install the same rows here, once, from the same
fixture, and leaves rows an administrator already has alone."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import migrations

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "indicators.json"
GROUP = "activities"


def forwards(apps: Any, schema_editor: Any) -> None:
    db = schema_editor.connection.alias
    group_model = apps.get_model("indicators", "IndicatorGroup")
    indicator_model = apps.get_model("indicators", "Indicator")
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    shipped_group = next(g for g in data["groups"] if g["code"] == GROUP)
    group, _created = group_model.objects.using(db).get_or_create(
        code=GROUP, defaults={k: v for k, v in shipped_group.items() if k != "code"}
    )
    for row in data["indicators"]:
        if row["group"] == GROUP:
            values = {k: v for k, v in row.items() if k not in ("code", "group")}
            indicator_model.objects.using(db).get_or_create(code=row["code"], defaults={**values, "group": group})


class Migration(migrations.Migration):
    dependencies = [("indicators", "0007_staff_coverage_indicators")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
