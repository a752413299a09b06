"""Two-factor authentication (django-otp, TOTP) for the roles that carry it: the case worker (who reads and writes
the cases) and every administrator role (who hands out access). Superusers always need it, whatever their role."""

from django.db import migrations, models

ROLES = ("case_worker", "province_admin", "system_admin")


def flag(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    Role.objects.filter(code__in=ROLES).update(requires_otp=True)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0010_finance_capabilities")]
    operations = [
        migrations.AddField(
            model_name="role",
            name="requires_otp",
            field=models.BooleanField(
                default=False,
                help_text="Users of this role confirm each login with a code from an authenticator app (TOTP).",
                verbose_name="requires two-factor authentication",
            ),
        ),
        migrations.RunPython(flag, migrations.RunPython.noop),
    ]
