"""Events recorded as `reassessment` (a branch's name for the family's re-assessment, Mẫu 03) become
`separation_review`, the one kind 0009 kept: the case page cannot label a kind it does not know."""

from django.db import migrations


def rename(apps, schema_editor):  # noqa: ANN001, ANN201
    CaseEvent = apps.get_model("cases", "CaseEvent")  # noqa: N806
    CaseEvent.objects.filter(kind="reassessment").update(kind="separation_review")


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_event_kinds_merged")]

    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
