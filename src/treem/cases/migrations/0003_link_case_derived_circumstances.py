"""Circumstances recorded from a case before they named it ("Vụ việc <code>" in their source): link them to the
case (id and unit path) and mark them confidential, so the registry shows them only to those who see the case."""

from django.db import migrations

PREFIX = "Vụ việc "


def link(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Circumstance = apps.get_model("registry", "Circumstance")
    HistoricalCircumstance = apps.get_model("registry", "HistoricalCircumstance")
    rows = Circumstance.objects.filter(source__startswith=PREFIX, source_case_id__isnull=True)
    for row in rows.only("pk", "source", "child_id"):
        case = Case.objects.filter(code=row.source.removeprefix(PREFIX).strip(), child_id=row.child_id).first()
        if case is None:
            continue
        values = {"source_case_id": case.pk, "source_unit_path": case.unit_path, "confidential": True}
        Circumstance.objects.filter(pk=row.pk).update(**values)
        HistoricalCircumstance.objects.filter(id=row.pk).update(**values)


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_load_clock_rules"), ("registry", "0007_flag_confidential_groups")]
    operations = [migrations.RunPython(link, migrations.RunPython.noop)]
