from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("matching", "0002_merged_is_child_merged_into")]
    operations = [migrations.RemoveField(model_name="merge", name="other_hidden")]
