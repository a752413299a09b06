"""A programme's source of funds becomes one of finance's shared sources (`Programme.source`): each existing programme
gets the source its older choice maps to (state budget -> "state", the level not being known; Child Protection Fund
-> "fund"; donations and sponsors -> "raised"; other -> "other"). The choice stays and follows the source."""

from __future__ import annotations

from typing import Any

import django.db.models.deletion
from django.db import migrations, models

SHARED_SOURCE_OF_CHOICE = {"state_budget": "state", "child_protection_fund": "fund", "donations": "raised", "other": "other"}


def forward(apps: Any, schema_editor: Any) -> None:
    db = schema_editor.connection.alias
    programme = apps.get_model("support", "Programme")
    source = apps.get_model("finance", "FundingSource")
    by_code = {s.code: s for s in source.objects.using(db).filter(code__in=SHARED_SOURCE_OF_CHOICE.values())}
    for choice, code in SHARED_SOURCE_OF_CHOICE.items():
        if code in by_code:
            programme.objects.using(db).filter(funding_source=choice, source__isnull=True).update(source=by_code[code])


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0002_load_sources"),
        ("support", "0004_disasters"),
    ]

    operations = [
        migrations.AddField(
            model_name="programme",
            name="source",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                to="finance.fundingsource", verbose_name="source of funds",
            ),
        ),
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
