"""The indicator `child_friendly_communes` was shipped as entered; since the assessments exist it is computed from
them (recognised communes over all communes). The shipped set loads only missing rows after a migrate, so an
existing install gets the change here, once: only when the row still has the shipped entered definition (an
administrator's own definition stays). A fresh install has no row yet and gets the computed one from the fixture."""

from django.db import migrations

CODE = "child_friendly_communes"


def to_computed(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    Indicator.objects.filter(code=CODE, source="entered", numerator="", denominator="").update(
        source="computed", numerator="communes_child_friendly", denominator="communes"
    )


def to_entered(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    Indicator.objects.filter(code=CODE, numerator="communes_child_friendly", denominator="communes").update(
        source="entered", numerator="", denominator=""
    )


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial"), ("indicators", "0001_initial")]
    operations = [migrations.RunPython(to_computed, to_entered)]
