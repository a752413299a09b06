""""Merged" has one record: `registry.Child.merged_into`. `Merge.other_hidden` said it a second time; its data goes
into `merged_into` (for every active merge that hid the other child); 0003 removes the field."""

from django.db import migrations


def to_merged_into(apps, schema_editor):
    Merge = apps.get_model("matching", "Merge")
    Child = apps.get_model("registry", "Child")
    active = Merge.objects.filter(undone_at__isnull=True, other_hidden=True).order_by("merged_at", "pk")
    for other_id, survivor_id in active.values_list("other_id", "survivor_id"):
        Child.objects.filter(pk=other_id, merged_into__isnull=True).update(merged_into_id=survivor_id)


def to_other_hidden(apps, schema_editor):
    Merge = apps.get_model("matching", "Merge")
    Child = apps.get_model("registry", "Child")
    merged = Child.objects.filter(merged_into__isnull=False).values_list("pk", flat=True)
    Merge.objects.exclude(other_id__in=merged).update(other_hidden=False)
    Merge.objects.filter(other_id__in=merged, undone_at__isnull=True).update(other_hidden=True)


class Migration(migrations.Migration):
    dependencies = [("matching", "0001_initial"), ("registry", "0005_child_commune_name_index")]
    operations = [migrations.RunPython(to_merged_into, to_other_hidden)]
