"""A child is on one list of a programme for a date: the database holds it (a village's list inside the commune's
was only checked by the services, and putting an excluded child back was not checked at all). The round's programme
and date are copied onto its rows (existing rows from their round) so that a partial unique constraint can say it."""

from __future__ import annotations

from typing import Any

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_from_round(apps: Any, schema_editor: Any) -> None:
    beneficiary = apps.get_model("support", "Beneficiary")
    rounds = apps.get_model("support", "Round").objects.filter(pk=OuterRef("round_id"))
    beneficiary.objects.using(schema_editor.connection.alias).update(
        programme_id=Subquery(rounds.values("programme_id")), on=Subquery(rounds.values("on"))
    )


class Migration(migrations.Migration):
    dependencies = [("support", "0002_load_programmes")]

    operations = [
        migrations.AddField(
            model_name="beneficiary",
            name="programme",
            field=models.ForeignKey(
                editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                to="support.programme",
            ),  # fmt: skip
        ),
        migrations.AddField(
            model_name="beneficiary", name="on", field=models.DateField(editable=False, null=True)
        ),
        migrations.RunPython(copy_from_round, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="beneficiary",
            name="programme",
            field=models.ForeignKey(
                editable=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="support.programme"
            ),
        ),
        migrations.AlterField(model_name="beneficiary", name="on", field=models.DateField(editable=False)),
        migrations.AddConstraint(
            model_name="beneficiary",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "excluded"), _negated=True),
                fields=("programme", "on", "child"),
                name="support_beneficiary_once_per_programme_and_date",
            ),
        ),
    ]
