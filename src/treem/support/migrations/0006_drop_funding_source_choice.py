"""A programme's source of funds is its shared source only (`Programme.source`, mapped from the older choice by
migration 0005): the choice is dropped. Going back, the choice is given again from the shared source's kind."""

from __future__ import annotations

from typing import Any

from django.db import migrations

CHOICE_OF_KIND = {"fund": "child_protection_fund", "raised": "donations", "other": "other"}  # else "state_budget"


def backward(apps: Any, schema_editor: Any) -> None:
    programme = apps.get_model("support", "Programme")
    for row in programme.objects.using(schema_editor.connection.alias).select_related("source"):
        row.funding_source = CHOICE_OF_KIND.get(row.source.kind, "state_budget") if row.source else "state_budget"
        row.save(update_fields=["funding_source"])


class Migration(migrations.Migration):
    dependencies = [("support", "0005_finance_source")]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, backward),
        migrations.RemoveField(model_name="programme", name="funding_source"),
    ]
