"""Course's subject, level and language now point at the catalog models: state only, the foreign keys
already reference the same tables (classroom_subject, classroom_level, classroom_teachinglanguage)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0001_lookups_from_classroom'),
        ('courses', '0007_text_control_characters'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='course',
                    name='language',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='courses', to='catalog.teachinglanguage'),
                ),
                migrations.AlterField(
                    model_name='course',
                    name='level',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='courses', to='catalog.level'),
                ),
                migrations.AlterField(
                    model_name='course',
                    name='subject',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='courses', to='catalog.subject'),
                ),
            ],
        ),
    ]
