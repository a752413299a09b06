"""Group proposals (a case proposes, an officer confirms) and the default rules: form of abuse -> proposed group.

Defaults: sexual abuse -> l (NĐ 56 Art. 13), trafficking -> m (Art. 14), exploitation -> k (Art. 12), abandonment
-> b (Art. 4, for the officer to judge: a carer's neglect is not an abandoned child). Neglect and violence propose
nothing (group i needs a forensic or medical conclusion, NĐ 56 Art. 11). An administrator edits the rules.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


DEFAULT_RULES = [("sexual_abuse", "l"), ("trafficking", "m"), ("exploitation", "k"), ("abandonment", "b")]


def load_rules(apps, schema_editor):
    Type = apps.get_model("registry", "CircumstanceType")
    Rule = apps.get_model("cases", "GroupRule")
    for form, code in DEFAULT_RULES:
        group = Type.objects.filter(kind="special", code=code).first()
        if group is not None:
            Rule.objects.get_or_create(abuse_form=form, circumstance_type=group)


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0006_decisions_and_transfers'),
        ('registry', '0010_nd56_art5_subtypes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='GroupProposal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('abuse_form', models.CharField(choices=[('violence', 'Violence'), ('exploitation', 'Exploitation'), ('sexual_abuse', 'Sexual abuse'), ('trafficking', 'Trafficking'), ('abandonment', 'Abandonment'), ('neglect', 'Neglect')], max_length=20, verbose_name='form of abuse')),
                ('valid_from', models.DateField(verbose_name='from')),
                ('status', models.CharField(choices=[('proposed', 'To be confirmed'), ('confirmed', 'Confirmed'), ('rejected', 'Rejected')], default='proposed', max_length=10, verbose_name='status')),
                ('proposed_at', models.DateTimeField(auto_now_add=True)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('reason', models.CharField(blank=True, max_length=300, verbose_name='reason')),
                ('circumstance_id', models.PositiveBigIntegerField(blank=True, null=True)),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='group_proposals', to='cases.case')),
                ('child', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.child')),
                ('circumstance_type', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.circumstancetype', verbose_name='proposed group')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'group proposal',
                'verbose_name_plural': 'group proposals',
                'ordering': ['case', 'pk'],
                'constraints': [models.UniqueConstraint(fields=('case', 'circumstance_type'), name='group_proposal_unique_per_case')],
            },
        ),
        migrations.CreateModel(
            name='GroupRule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('abuse_form', models.CharField(choices=[('violence', 'Violence'), ('exploitation', 'Exploitation'), ('sexual_abuse', 'Sexual abuse'), ('trafficking', 'Trafficking'), ('abandonment', 'Abandonment'), ('neglect', 'Neglect')], max_length=20, verbose_name='form of abuse')),
                ('is_active', models.BooleanField(default=True, verbose_name='active')),
                ('circumstance_type', models.ForeignKey(limit_choices_to={'kind': 'special'}, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.circumstancetype', verbose_name='proposed group')),
            ],
            options={
                'verbose_name': 'group proposal rule',
                'verbose_name_plural': 'group proposal rules',
                'constraints': [models.UniqueConstraint(fields=('abuse_form', 'circumstance_type'), name='group_rule_unique_pair')],
            },
        ),
        migrations.RunPython(load_rules, migrations.RunPython.noop),
    ]
