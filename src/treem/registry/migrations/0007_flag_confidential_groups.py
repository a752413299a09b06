"""Mark the abuse-related groups of Luật Trẻ em Art. 10 (i, k, l, m: as the fixture says) as case data, and the
rows already recorded in them (and their history) as confidential."""

from django.db import migrations


def flag(apps, schema_editor):
    from treem.registry.reference import confidential_codes

    CircumstanceType = apps.get_model("registry", "CircumstanceType")
    Circumstance = apps.get_model("registry", "Circumstance")
    HistoricalCircumstance = apps.get_model("registry", "HistoricalCircumstance")
    for kind, codes in confidential_codes().items():
        types = CircumstanceType.objects.filter(kind=kind, code__in=codes)
        types.update(confidential=True)
        ids = list(types.values_list("pk", flat=True))
        Circumstance.objects.filter(type_id__in=ids).update(confidential=True)
        HistoricalCircumstance.objects.filter(type_id__in=ids).update(confidential=True)


class Migration(migrations.Migration):
    dependencies = [("registry", "0006_circumstance_confidential")]
    operations = [migrations.RunPython(flag, migrations.RunPython.noop)]
